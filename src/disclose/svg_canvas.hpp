// The element writer under the SVG charts (svg_chart.hpp): one <svg>
// document built shape by shape, with the print palette and fonts of every
// chart of a report.
//
// Invariants of finish(): a standalone, well-formed XML document whose root
// is <svg xmlns=... viewBox=... role="img" font-family=...> with <title> and
// <desc> first; no script, no external reference; every number written with
// two decimals (coordinates) so the same drawing gives the same bytes, and a
// number that is not finite is written as 0, never "nan" or "inf".
#pragma once

#include <string>
#include <string_view>

namespace assay::disclose::svg {

// Okabe & Ito (2008), "Color Universal Design": eight colours told apart with
// every common colour-vision deficiency and in greyscale print. `on_fill` is
// the label colour readable on the fill. Indexes cycle.
struct PaletteColour {
  std::string_view fill;
  std::string_view on_fill;
};
const PaletteColour& palette(size_t index);

inline constexpr std::string_view kInkColour = "#333333";    // text, axes
inline constexpr std::string_view kGridColour = "#dddddd";   // grid lines
inline constexpr std::string_view kMutedColour = "#666666";  // captions, reference lines

enum class Anchor { kStart, kMiddle, kEnd };

struct TextStyle {
  double size = 11;
  Anchor anchor = Anchor::kStart;
  std::string_view fill = kInkColour;
  bool bold = false;
  std::string_view css_class = {};
  // A white outline under the glyphs, for labels that may cross bars or
  // lines. Drawn as a separate text below rather than with paint-order,
  // which older SVG renderers ignore (they would paint the outline on top).
  bool halo = false;
};

// A number as an SVG coordinate: two decimals, "0" for non-finite.
std::string coord(double value);

class Canvas {
 public:
  Canvas(double width, double height) : width_(width), height_(height) {}
  double width() const { return width_; }
  double height() const { return height_; }

  // `tooltip` becomes a <title> child: the exact figure behind a shape, for
  // screen readers and hovering. `css_class` lets an HTML page restyle.
  void rect(double x, double y, double w, double h, std::string_view fill,
            std::string_view css_class = {}, std::string_view tooltip = {});
  void line(double x1, double y1, double x2, double y2, std::string_view stroke,
            double stroke_width = 1, std::string_view dash = {}, std::string_view css_class = {});
  void path(std::string_view d, std::string_view fill, std::string_view stroke,
            double stroke_width = 0, std::string_view dash = {}, std::string_view css_class = {},
            std::string_view tooltip = {});
  // Text fitted to `max_width` px (0: no limit); a shortened text keeps its
  // full form as a tooltip.
  void text(double x, double y, std::string_view text, const TextStyle& style,
            double max_width = 0);

  std::string finish(std::string_view title, std::string_view description) const;

 private:
  double width_;
  double height_;
  std::string body_;
};

}  // namespace assay::disclose::svg
