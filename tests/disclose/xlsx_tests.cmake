# Tests of the XLSX renderer, included by tests/disclose/CMakeLists.txt (after
# assay_test() of tests/CMakeLists.txt is defined). Both read workbooks back
# with libzip + pugixml (xlsx_readback.hpp), not with the writer's library.

# write_report_xlsx on a hand-made Report.
assay_test(disclose_xlsx_test
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/xlsx_report_test.cpp
  LIBS assay_disclose PkgConfig::LIBZIP pugixml::pugixml)

# End to end: `assay report examples/reference-2024 --format xlsx` against the
# reference report's published figures. Passes only once `assay report` exists.
assay_test(disclose_xlsx_reference_test
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/xlsx_reference_test.cpp
  LIBS PkgConfig::LIBZIP pugixml::pugixml tomlplusplus::tomlplusplus)
target_compile_definitions(disclose_xlsx_reference_test PRIVATE
  ASSAY_BINARY="$<TARGET_FILE:assay>")
