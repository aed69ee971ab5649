// The catalog's formula language: arithmetic over metric ids.
//
//   expr    := term (('+' | '-') term)*
//   term    := unary (('*' | '/') unary)*
//   unary   := '-' unary | primary
//   primary := NUMBER | ID | FUNC '(' expr (',' expr)* ')' | '(' expr ')'
//   ID      := [A-Za-z_][A-Za-z0-9_]* ('.' [A-Za-z0-9_]+)*     (a metric id)
//   FUNC    := sum | coalesce
//
// Null propagation (spec/data-package.md, Outputs: a figure whose inputs are
// absent is not available, never 0): `+ - * /` give not_available when an
// operand is not_available (or a divisor is 0), else incomplete when an
// operand is incomplete. `sum(a, b, ...)` adds the operands that are
// available, ignoring not_available ones (a total over scopes with no input for
// one scope), and is not_available only when all are. `coalesce(a, b)` is b
// when a is not_available. Conversion factors (x 100 for %, t -> kg) are
// written in the formula; units are checked by dimension (units.hpp).
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "calc/inventory.hpp"
#include "metrics/units.hpp"

namespace assay {

struct Expr {
  enum class Kind { kNumber, kRef, kAdd, kSub, kMul, kDiv, kNeg, kSum, kCoalesce };
  Kind kind = Kind::kNumber;
  double number = 0.0;
  std::string ref;  // kRef: a metric id
  std::vector<std::unique_ptr<Expr>> args;
};

// Parses `text`; on failure returns null and sets `*error` to a message with
// the 1-based character position ("at 12: expected ')'").
std::unique_ptr<Expr> parse_expression(std::string_view text, std::string* error);

// The metric ids the expression reads, in order of first appearance.
std::vector<std::string> referenced_ids(const Expr& e);

// Dimension of the expression given its operands' dimensions. On a mismatch
// (adding tCO2e to MWh, coalesce of different dimensions) returns nullopt and
// sets `*error` naming the operands.
std::optional<Dimensions> infer_dimensions(
    const Expr& e, const std::function<Dimensions(const std::string&)>& dims_of,
    std::string* error);

struct Value {
  FigureStatus status = FigureStatus::kNotAvailable;
  double value = 0.0;  // meaningful iff status == kOk
};

// Evaluates with the null propagation above; `lookup` gives an operand's value.
Value evaluate(const Expr& e, const std::function<Value(const std::string&)>& lookup);

// A formula of the form  k * (a + b + ...) / d  (sums by `+` or sum(), a
// coalesce(x, 0) around a sum, numbers as factors, d an id or absent): its
// value is computed as (a + b + ...) x (k / d), and its lineage is a group
// whose children are a, b, ... with scale k / d. Other formulas: nullopt.
struct LinearForm {
  double factor = 1.0;             // k (numeric factors, numeric divisors folded in)
  std::vector<std::string> terms;  // a, b, ...
  std::string denominator;         // d, or empty
};
std::optional<LinearForm> linear_form(const Expr& e);

}  // namespace assay
