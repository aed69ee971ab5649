#include "metrics/expression.hpp"

#include <cctype>
#include <charconv>

namespace assay {

namespace {

class Parser {
 public:
  Parser(std::string_view text, std::string* error) : s_(text), error_(error) {}

  std::unique_ptr<Expr> parse() {
    auto e = expr();
    if (!e) return nullptr;
    skip();
    if (i_ != s_.size()) return fail("unexpected '" + std::string(1, s_[i_]) + "'");
    return e;
  }

 private:
  std::unique_ptr<Expr> fail(const std::string& what) {
    if (error_->empty()) *error_ = "at " + std::to_string(i_ + 1) + ": " + what;
    return nullptr;
  }
  void skip() {
    while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\t' || s_[i_] == '\n')) ++i_;
  }
  bool eat(char c) {
    skip();
    if (i_ < s_.size() && s_[i_] == c) {
      ++i_;
      return true;
    }
    return false;
  }
  static std::unique_ptr<Expr> node(Expr::Kind k, std::unique_ptr<Expr> a,
                                    std::unique_ptr<Expr> b = nullptr) {
    auto e = std::make_unique<Expr>();
    e->kind = k;
    e->args.push_back(std::move(a));
    if (b) e->args.push_back(std::move(b));
    return e;
  }

  std::unique_ptr<Expr> expr() {
    auto left = term();
    while (left) {
      if (eat('+')) {
        auto r = term();
        if (!r) return nullptr;
        left = node(Expr::Kind::kAdd, std::move(left), std::move(r));
      } else if (eat('-')) {
        auto r = term();
        if (!r) return nullptr;
        left = node(Expr::Kind::kSub, std::move(left), std::move(r));
      } else {
        break;
      }
    }
    return left;
  }

  std::unique_ptr<Expr> term() {
    auto left = unary();
    while (left) {
      if (eat('*')) {
        auto r = unary();
        if (!r) return nullptr;
        left = node(Expr::Kind::kMul, std::move(left), std::move(r));
      } else if (eat('/')) {
        auto r = unary();
        if (!r) return nullptr;
        left = node(Expr::Kind::kDiv, std::move(left), std::move(r));
      } else {
        break;
      }
    }
    return left;
  }

  std::unique_ptr<Expr> unary() {
    if (eat('-')) {
      auto a = unary();
      if (!a) return nullptr;
      return node(Expr::Kind::kNeg, std::move(a));
    }
    return primary();
  }

  static bool id_start(char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_'; }
  static bool id_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

  std::unique_ptr<Expr> primary() {
    skip();
    if (i_ >= s_.size()) return fail("expected a number, a metric id or '('");
    const char c = s_[i_];
    if (c == '(') {
      ++i_;
      auto e = expr();
      if (!e) return nullptr;
      if (!eat(')')) return fail("expected ')'");
      return e;
    }
    if (std::isdigit(static_cast<unsigned char>(c))) {
      size_t j = i_;
      while (j < s_.size() && (std::isdigit(static_cast<unsigned char>(s_[j])) || s_[j] == '.'))
        ++j;
      double v = 0;
      auto [p, ec] = std::from_chars(s_.data() + i_, s_.data() + j, v);
      if (ec != std::errc() || p != s_.data() + j) return fail("malformed number");
      auto e = std::make_unique<Expr>();
      e->kind = Expr::Kind::kNumber;
      e->number = v;
      i_ = j;
      return e;
    }
    if (!id_start(c)) return fail("expected a number, a metric id or '('");
    size_t j = i_;
    while (true) {
      while (j < s_.size() && id_char(s_[j])) ++j;
      if (j + 1 < s_.size() && s_[j] == '.' && id_char(s_[j + 1])) {
        ++j;
        continue;
      }
      break;
    }
    std::string name(s_.substr(i_, j - i_));
    i_ = j;
    skip();
    if (i_ < s_.size() && s_[i_] == '(') {
      Expr::Kind k;
      if (name == "sum") {
        k = Expr::Kind::kSum;
      } else if (name == "coalesce") {
        k = Expr::Kind::kCoalesce;
      } else {
        return fail("unknown function '" + name + "' (expected sum or coalesce)");
      }
      ++i_;
      auto e = std::make_unique<Expr>();
      e->kind = k;
      do {
        auto a = expr();
        if (!a) return nullptr;
        e->args.push_back(std::move(a));
      } while (eat(','));
      if (!eat(')')) return fail("expected ',' or ')'");
      if (k == Expr::Kind::kCoalesce && e->args.size() != 2) {
        return fail("coalesce takes two arguments");
      }
      return e;
    }
    auto e = std::make_unique<Expr>();
    e->kind = Expr::Kind::kRef;
    e->ref = std::move(name);
    return e;
  }

  std::string_view s_;
  std::string* error_;
  size_t i_ = 0;
};

void collect(const Expr& e, std::vector<std::string>* out) {
  if (e.kind == Expr::Kind::kRef) {
    for (const auto& s : *out) {
      if (s == e.ref) return;
    }
    out->push_back(e.ref);
  }
  for (const auto& a : e.args) collect(*a, out);
}

std::string describe(const Expr& e) {
  switch (e.kind) {
    case Expr::Kind::kRef:
      return e.ref;
    case Expr::Kind::kNumber:
      return "a number";
    default:
      return "a sub-expression";
  }
}

}  // namespace

std::unique_ptr<Expr> parse_expression(std::string_view text, std::string* error) {
  error->clear();
  return Parser(text, error).parse();
}

std::vector<std::string> referenced_ids(const Expr& e) {
  std::vector<std::string> out;
  collect(e, &out);
  return out;
}

std::optional<Dimensions> infer_dimensions(
    const Expr& e, const std::function<Dimensions(const std::string&)>& dims_of,
    std::string* error) {
  switch (e.kind) {
    case Expr::Kind::kNumber:
      return Dimensions{};
    case Expr::Kind::kRef:
      return dims_of(e.ref);
    case Expr::Kind::kNeg:
      return infer_dimensions(*e.args[0], dims_of, error);
    case Expr::Kind::kMul:
    case Expr::Kind::kDiv: {
      auto a = infer_dimensions(*e.args[0], dims_of, error);
      auto b = infer_dimensions(*e.args[1], dims_of, error);
      if (!a || !b) return std::nullopt;
      return e.kind == Expr::Kind::kMul ? multiply(*a, *b) : divide(*a, *b);
    }
    case Expr::Kind::kAdd:
    case Expr::Kind::kSub:
    case Expr::Kind::kSum:
    case Expr::Kind::kCoalesce: {
      std::optional<Dimensions> first;
      for (size_t i = 0; i < e.args.size(); ++i) {
        auto d = infer_dimensions(*e.args[i], dims_of, error);
        if (!d) return std::nullopt;
        // coalesce(x, 0): a bare number stands for zero of x's dimension.
        if (e.kind == Expr::Kind::kCoalesce && e.args[i]->kind == Expr::Kind::kNumber) continue;
        if (!first) {
          first = d;
        } else if (*d != *first) {
          *error = describe(*e.args[0]) + " is " + dimensions_text(*first) + " but " +
                   describe(*e.args[i]) + " is " + dimensions_text(*d) +
                   " (operands of a sum must have the same dimension)";
          return std::nullopt;
        }
      }
      return first ? *first : Dimensions{};
    }
  }
  return std::nullopt;
}

Value evaluate(const Expr& e, const std::function<Value(const std::string&)>& lookup) {
  using K = Expr::Kind;
  switch (e.kind) {
    case K::kNumber:
      return {FigureStatus::kOk, e.number};
    case K::kRef:
      return lookup(e.ref);
    case K::kSum: {
      Value out{FigureStatus::kNotAvailable, 0.0};
      double v = 0.0;
      bool any = false;
      bool incomplete = false;
      for (const auto& a : e.args) {
        Value x = evaluate(*a, lookup);
        if (x.status == FigureStatus::kNotAvailable) continue;
        any = true;
        if (x.status == FigureStatus::kIncomplete)
          incomplete = true;
        else
          v += x.value;
      }
      if (!any) return out;
      if (incomplete) return {FigureStatus::kIncomplete, 0.0};
      return {FigureStatus::kOk, v};
    }
    case K::kCoalesce: {
      Value x = evaluate(*e.args[0], lookup);
      if (x.status != FigureStatus::kNotAvailable) return x;
      return evaluate(*e.args[1], lookup);
    }
    default:
      break;
  }
  std::vector<Value> xs;
  for (const auto& a : e.args) xs.push_back(evaluate(*a, lookup));
  for (const auto& x : xs) {
    if (x.status == FigureStatus::kNotAvailable) return {FigureStatus::kNotAvailable, 0.0};
  }
  for (const auto& x : xs) {
    if (x.status == FigureStatus::kIncomplete) return {FigureStatus::kIncomplete, 0.0};
  }
  switch (e.kind) {
    case K::kNeg:
      return {FigureStatus::kOk, -xs[0].value};
    case K::kAdd:
      return {FigureStatus::kOk, xs[0].value + xs[1].value};
    case K::kSub:
      return {FigureStatus::kOk, xs[0].value - xs[1].value};
    case K::kMul:
      return {FigureStatus::kOk, xs[0].value * xs[1].value};
    case K::kDiv:
      if (xs[1].value == 0) return {FigureStatus::kNotAvailable, 0.0};
      return {FigureStatus::kOk, xs[0].value / xs[1].value};
    default:
      return {FigureStatus::kNotAvailable, 0.0};
  }
}

namespace {

// Sum-shaped part: ids added with factor 1 (no denominator).
bool sum_terms(const Expr& e, std::vector<std::string>* terms) {
  switch (e.kind) {
    case Expr::Kind::kRef:
      terms->push_back(e.ref);
      return true;
    case Expr::Kind::kAdd:
    case Expr::Kind::kSum:
      for (const auto& a : e.args) {
        if (!sum_terms(*a, terms)) return false;
      }
      return true;
    case Expr::Kind::kCoalesce:
      return e.args[1]->kind == Expr::Kind::kNumber && e.args[1]->number == 0 &&
             sum_terms(*e.args[0], terms);
    default:
      return false;
  }
}

bool linear(const Expr& e, LinearForm* f) {
  switch (e.kind) {
    case Expr::Kind::kMul:
      if (e.args[0]->kind == Expr::Kind::kNumber) {
        f->factor *= e.args[0]->number;
        return linear(*e.args[1], f);
      }
      if (e.args[1]->kind == Expr::Kind::kNumber) {
        f->factor *= e.args[1]->number;
        return linear(*e.args[0], f);
      }
      return false;
    case Expr::Kind::kDiv:
      if (e.args[1]->kind == Expr::Kind::kNumber) {
        if (e.args[1]->number == 0) return false;
        f->factor /= e.args[1]->number;
        return linear(*e.args[0], f);
      }
      if (e.args[1]->kind == Expr::Kind::kRef && f->denominator.empty()) {
        f->denominator = e.args[1]->ref;
        return linear(*e.args[0], f);
      }
      return false;
    default:
      return sum_terms(e, &f->terms);
  }
}

}  // namespace

std::optional<LinearForm> linear_form(const Expr& e) {
  LinearForm f;
  if (!linear(e, &f)) return std::nullopt;
  return f;
}

}  // namespace assay
