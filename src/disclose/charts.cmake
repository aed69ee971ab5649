# Sources of the report charts (svg_chart.hpp, report_charts.hpp), for the
# assay_disclose library: include(charts.cmake) from src/disclose/CMakeLists.txt
# and add ${ASSAY_DISCLOSE_CHART_SOURCES} to add_library(assay_disclose ...).
# Plain C++20, no dependency beyond the standard library.
set(ASSAY_DISCLOSE_CHART_SOURCES
  ${CMAKE_CURRENT_LIST_DIR}/svg_format.cpp
  ${CMAKE_CURRENT_LIST_DIR}/svg_canvas.cpp
  ${CMAKE_CURRENT_LIST_DIR}/svg_chart.cpp
  ${CMAKE_CURRENT_LIST_DIR}/report_charts.cpp)
