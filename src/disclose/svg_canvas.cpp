// The element writer under the SVG charts; see svg_canvas.hpp.
#include "disclose/svg_canvas.hpp"

#include <array>

#include "disclose/svg_format.hpp"

namespace assay::disclose::svg {
namespace {

// Fonts that carry Traditional and Simplified Chinese on Linux, Windows and
// macOS, so zh-Hant and zh-Hans reports render without tofu.
constexpr std::string_view kFontFamily =
    "'Noto Sans CJK TC', 'Noto Sans CJK SC', 'Microsoft JhengHei', 'PingFang TC', "
    "'Noto Sans', Arial, sans-serif";

// Okabe–Ito order chosen for print: the darker, most distinct colours first,
// yellow (weak on white paper) late.
constexpr std::array<PaletteColour, 8> kPalette{{
    {"#0072B2", "#ffffff"},  // blue
    {"#E69F00", "#000000"},  // orange
    {"#009E73", "#ffffff"},  // bluish green
    {"#D55E00", "#ffffff"},  // vermillion
    {"#56B4E9", "#000000"},  // sky blue
    {"#CC79A7", "#000000"},  // reddish purple
    {"#000000", "#ffffff"},  // black
    {"#F0E442", "#000000"},  // yellow
}};

std::string_view anchor_name(Anchor a) {
  switch (a) {
    case Anchor::kStart:
      return "start";
    case Anchor::kMiddle:
      return "middle";
    case Anchor::kEnd:
      return "end";
  }
  return "start";
}

std::string class_attribute(std::string_view css_class) {
  if (css_class.empty()) return "";
  return " class=\"" + escape_xml(css_class) + "\"";
}

std::string dash_attribute(std::string_view dash) {
  if (dash.empty()) return "";
  return " stroke-dasharray=\"" + escape_xml(dash) + "\"";
}

// Closes an element, with its tooltip as a <title> child when there is one.
std::string close_element(std::string_view tag, std::string_view tooltip) {
  if (tooltip.empty()) return "/>\n";
  return "><title>" + escape_xml(tooltip) + "</title></" + std::string(tag) + ">\n";
}

}  // namespace

const PaletteColour& palette(size_t index) { return kPalette[index % kPalette.size()]; }

std::string coord(double value) { return fixed(value, 2); }

void Canvas::rect(double x, double y, double w, double h, std::string_view fill,
                  std::string_view css_class, std::string_view tooltip) {
  body_ += "<rect" + class_attribute(css_class) + " x=\"" + coord(x) + "\" y=\"" + coord(y) +
           "\" width=\"" + coord(w < 0 ? 0 : w) + "\" height=\"" + coord(h < 0 ? 0 : h) +
           "\" fill=\"" + escape_xml(fill) + "\"" + close_element("rect", tooltip);
}

void Canvas::line(double x1, double y1, double x2, double y2, std::string_view stroke,
                  double stroke_width, std::string_view dash, std::string_view css_class) {
  body_ += "<line" + class_attribute(css_class) + " x1=\"" + coord(x1) + "\" y1=\"" + coord(y1) +
           "\" x2=\"" + coord(x2) + "\" y2=\"" + coord(y2) + "\" stroke=\"" + escape_xml(stroke) +
           "\" stroke-width=\"" + coord(stroke_width) + "\"" + dash_attribute(dash) + "/>\n";
}

void Canvas::path(std::string_view d, std::string_view fill, std::string_view stroke,
                  double stroke_width, std::string_view dash, std::string_view css_class,
                  std::string_view tooltip) {
  body_ += "<path" + class_attribute(css_class) + " d=\"" + escape_xml(d) + "\" fill=\"" +
           escape_xml(fill) + "\"";
  if (!stroke.empty()) {
    body_ += " stroke=\"" + escape_xml(stroke) + "\" stroke-width=\"" + coord(stroke_width) +
             "\" stroke-linejoin=\"round\"" + dash_attribute(dash);
  }
  body_ += close_element("path", tooltip);
}

void Canvas::text(double x, double y, std::string_view content, const TextStyle& style,
                  double max_width) {
  const std::string shown =
      max_width > 0 ? fit_text(content, max_width, style.size) : std::string(content);
  const std::string placement = " x=\"" + coord(x) + "\" y=\"" + coord(y) + "\" font-size=\"" +
                                coord(style.size) + "\" text-anchor=\"" +
                                std::string(anchor_name(style.anchor)) + "\"" +
                                (style.bold ? " font-weight=\"bold\"" : "");
  if (style.halo) {
    body_ += "<text class=\"halo\" aria-hidden=\"true\"" + placement +
             " fill=\"#ffffff\" stroke=\"#ffffff\" stroke-width=\"3\" stroke-linejoin=\"round\">" +
             escape_xml(shown) + "</text>\n";
  }
  body_ += "<text" + class_attribute(style.css_class) + placement + " fill=\"" +
           escape_xml(style.fill) + "\">";
  if (shown != content) body_ += "<title>" + escape_xml(content) + "</title>";
  body_ += escape_xml(shown) + "</text>\n";
}

std::string Canvas::finish(std::string_view title, std::string_view description) const {
  const std::string w = coord(width_);
  const std::string h = coord(height_);
  std::string out = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " + w + " " + h +
                    "\" width=\"" + w + "\" height=\"" + h + "\" role=\"img\" font-family=\"" +
                    std::string(kFontFamily) + "\">\n";
  out += "<title>" + escape_xml(title) + "</title>\n";
  out += "<desc>" + escape_xml(description) + "</desc>\n";
  out += "<rect x=\"0\" y=\"0\" width=\"" + w + "\" height=\"" + h + "\" fill=\"#ffffff\"/>\n";
  out += body_;
  out += "</svg>\n";
  return out;
}

}  // namespace assay::disclose::svg
