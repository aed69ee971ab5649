#include "package/xlsx_reader.hpp"

namespace assay::xlsx {

Status read_workbook(const std::string&, Workbook*) {
  return Status::error("xlsx reading is not implemented yet");
}

}  // namespace assay::xlsx
