// Writing JSON text by hand where the bytes must be exactly the same on every
// run and machine (calc, telemetry, explain): strings escaped the one way,
// numbers in the shortest form that reads back to the same double.
#pragma once

#include <string>
#include <string_view>

namespace assay {

// Appends `s` as a JSON string literal.
void json_append_string(std::string* out, std::string_view s);
// Appends a JSON number: shortest round-trip form; -0 as 0; non-finite as null.
void json_append_number(std::string* out, double v);
// The same number as a string.
std::string json_number(double v);

}  // namespace assay
