// The formula language: parsing, null propagation, dimensions, linear forms.
#include <gtest/gtest.h>

#include <map>

#include "metrics/expression.hpp"

namespace assay {
namespace {

Value eval(const std::string& text, const std::map<std::string, Value>& env) {
  std::string err;
  auto e = parse_expression(text, &err);
  EXPECT_NE(e, nullptr) << err;
  if (!e) return {};
  return evaluate(*e, [&](const std::string& id) {
    auto it = env.find(id);
    return it == env.end() ? Value{FigureStatus::kNotAvailable, 0.0} : it->second;
  });
}

const Value kNa{FigureStatus::kNotAvailable, 0.0};
const Value kInc{FigureStatus::kIncomplete, 0.0};
Value ok(double v) { return {FigureStatus::kOk, v}; }

TEST(Expression, ArithmeticAndPrecedence) {
  // 100 * (3 + 1) / 8 = 50; 2 + 3 * 4 = 14; -(2) - 3 = -5
  EXPECT_EQ(eval("100 * (a + b) / c", {{"a", ok(3)}, {"b", ok(1)}, {"c", ok(8)}}).value, 50);
  EXPECT_EQ(eval("2 + 3 * 4", {}).value, 14);
  EXPECT_EQ(eval("-a - 3", {{"a", ok(2)}}).value, -5);
  EXPECT_EQ(eval("ghg.scope1 + ghg.scope2.market",
                 {{"ghg.scope1", ok(1.5)}, {"ghg.scope2.market", ok(2)}})
                .value,
            3.5);
}

TEST(Expression, NullPropagation) {
  // A missing input makes the figure not available, never 0.
  EXPECT_EQ(eval("a + b", {{"a", ok(1)}}).status, FigureStatus::kNotAvailable);
  // An incomplete input makes it incomplete.
  EXPECT_EQ(eval("a / b", {{"a", kInc}, {"b", ok(2)}}).status, FigureStatus::kIncomplete);
  // Not available wins over incomplete.
  EXPECT_EQ(eval("a * b", {{"a", kInc}, {"b", kNa}}).status, FigureStatus::kNotAvailable);
  // Division by zero: no figure.
  EXPECT_EQ(eval("a / b", {{"a", ok(1)}, {"b", ok(0)}}).status, FigureStatus::kNotAvailable);
  // sum() leaves out what is not available, and is not available only when all are.
  EXPECT_EQ(eval("sum(a, b, c)", {{"a", ok(1)}, {"c", ok(2)}}).value, 3);
  EXPECT_EQ(eval("sum(a, b)", {}).status, FigureStatus::kNotAvailable);
  EXPECT_EQ(eval("sum(a, b)", {{"a", ok(1)}, {"b", kInc}}).status, FigureStatus::kIncomplete);
  // coalesce(x, 0): no input at all counts as 0.
  EXPECT_EQ(eval("100 * coalesce(sum(a, b), 0) / c", {{"c", ok(4)}}).value, 0);
  EXPECT_EQ(eval("100 * coalesce(sum(a, b), 0) / c", {{"b", ok(1)}, {"c", ok(4)}}).value, 25);
}

TEST(Expression, ParseErrorsSayWhere) {
  std::string err;
  EXPECT_EQ(parse_expression("a +", &err), nullptr);
  EXPECT_EQ(err, "at 4: expected a number, a metric id or '('");
  EXPECT_EQ(parse_expression("max(a, b)", &err), nullptr);
  EXPECT_EQ(err, "at 4: unknown function 'max' (expected sum or coalesce)");
  EXPECT_EQ(parse_expression("a b", &err), nullptr);
  EXPECT_EQ(err, "at 3: unexpected 'b'");
}

TEST(Expression, Dimensions) {
  std::map<std::string, Dimensions> dims = {{"w", *parse_unit_dimensions("t")},
                                            {"rev", *parse_unit_dimensions("million {currency}")},
                                            {"inj", *parse_unit_dimensions("count")},
                                            {"h", *parse_unit_dimensions("h")}};
  auto of = [&](const std::string& id) { return dims.at(id); };
  std::string err;
  auto e = parse_expression("1000 * w / rev", &err);
  EXPECT_EQ(*infer_dimensions(*e, of, &err), *parse_unit_dimensions("kg/million {currency}"));
  e = parse_expression("1000000 * inj / h", &err);
  EXPECT_EQ(*infer_dimensions(*e, of, &err), *parse_unit_dimensions("per million h"));
  e = parse_expression("w + h", &err);
  EXPECT_FALSE(infer_dimensions(*e, of, &err).has_value());
  EXPECT_EQ(err, "w is mass but h is time (operands of a sum must have the same dimension)");
}

TEST(Expression, LinearForm) {
  std::string err;
  auto e = parse_expression("100 * coalesce(sum(a, b), 0) / c", &err);
  auto f = linear_form(*e);
  ASSERT_TRUE(f.has_value());
  EXPECT_EQ(f->factor, 100);
  EXPECT_EQ(f->terms, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(f->denominator, "c");
  e = parse_expression("(a - b) / c", &err);
  EXPECT_FALSE(linear_form(*e).has_value());
}

}  // namespace
}  // namespace assay
