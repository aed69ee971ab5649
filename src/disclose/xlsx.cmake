# The XLSX renderer of `assay report` (xlsx_report.hpp), included by
# src/disclose/CMakeLists.txt: add ${ASSAY_DISCLOSE_XLSX_SOURCES} to
# assay_disclose and link it with ${ASSAY_DISCLOSE_XLSX_LIBS}
# (libxlsxwriter, found by pkg-config in the top-level CMakeLists.txt).
set(ASSAY_DISCLOSE_XLSX_SOURCES ${CMAKE_CURRENT_LIST_DIR}/xlsx_report.cpp)
set(ASSAY_DISCLOSE_XLSX_LIBS PkgConfig::XLSXWRITER)
