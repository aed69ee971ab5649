// assay report PACKAGE --out DIR: the disclosure of a run — KPI tables by
// area, method notes, targets, content indexes (HKEX, IFRS S2 / TCFD, GRI)
// and charts — as HTML, Markdown and XLSX per language and one JSON file.
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <set>
#include <sstream>

#include "calc/calc_json.hpp"
#include "cli/calc_run.hpp"
#include "cli/cli_util.hpp"
#include "cli/command.hpp"
#include "disclose/renderers.hpp"
#include "disclose/report_builder.hpp"
#include "disclose/xlsx_report.hpp"

namespace assay::cli {

namespace {

std::vector<std::string> split_list(const std::string& s) {
  std::vector<std::string> out;
  std::stringstream ss(s);
  std::string item;
  while (std::getline(ss, item, ',')) {
    while (!item.empty() && item.front() == ' ') item.erase(0, 1);
    while (!item.empty() && item.back() == ' ') item.pop_back();
    if (!item.empty()) out.push_back(item);
  }
  return out;
}

// Writes beside the target and renames, so a reader never sees half a file
// and an earlier report survives a failed run.
Status write_file(const std::filesystem::path& path, const std::string& bytes) {
  const std::filesystem::path tmp = path.string() + ".tmp";
  {
    std::ofstream f(tmp, std::ios::binary | std::ios::trunc);
    if (!f) return Status::error("cannot write " + tmp.string());
    f.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    if (!f) return Status::error("cannot write " + tmp.string());
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec)
    return Status::error("cannot rename " + tmp.string() + " to " + path.string() + ": " +
                         ec.message());
  return Status::ok();
}

Status write_xlsx(const std::filesystem::path& path, const disclose::Report& report) {
  const std::string tmp = path.string() + ".tmp";
  if (Status s = disclose::write_report_xlsx(report, tmp); !s) return s;
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec)
    return Status::error("cannot rename " + tmp + " to " + path.string() + ": " + ec.message());
  return Status::ok();
}

}  // namespace

CommandRunner register_report(CLI::App& app) {
  struct Options {
    std::string package;
    std::string out;
    std::string langs;
    std::string formats = "html,md,xlsx,json";
    std::string quarantine;
    bool no_quarantine = false;
  };
  auto opt = std::make_shared<Options>();
  CLI::App* cmd = app.add_subcommand(
      "report",
      "Write the disclosure of a data package: KPI tables by area with the package's years side "
      "by side, notes stating this run's method, targets and progress, content indexes (HKEX ESG "
      "Reporting Code, IFRS S2 / TCFD, GRI) and charts. Files in DIR: report.<lang>.html (one "
      "self-contained printable page), report.<lang>.md, report.<lang>.xlsx, report.json. Exit 0 "
      "when the run has no error, 1 when it has (the report is written either way and lists them), "
      "2 on usage errors.");
  cmd->add_option("package", opt->package, "The package folder or .zip")->required();
  cmd->add_option("--out", opt->out, "Folder to write the report into (created if missing)")
      ->required();
  cmd->add_option(
      "--lang", opt->langs,
      "Languages, comma-separated: en, zh-Hant, zh-Hans (default: the package's `languages`)");
  cmd->add_option("--format", opt->formats,
                  "Formats, comma-separated: html, md, xlsx, json (default: all)");
  cmd->add_option("--quarantine", opt->quarantine,
                  "Folder for rejected rows (default: <package>.quarantine beside the package)");
  cmd->add_flag("--no-quarantine", opt->no_quarantine, "Do not write the quarantine folder");
  return [opt]() {
    const std::set<std::string> known_formats = {"html", "md", "xlsx", "json"};
    std::vector<std::string> formats = split_list(opt->formats);
    for (const std::string& f : formats) {
      if (!known_formats.contains(f)) {
        std::fprintf(stderr,
                     "assay report: unknown format '%s' (expected html, md, xlsx or json)\n",
                     f.c_str());
        return kExitUsage;
      }
    }
    std::vector<std::string> langs = split_list(opt->langs);
    for (const std::string& l : langs) {
      const auto& known = disclose::report_languages();
      if (std::find(known.begin(), known.end(), l) == known.end()) {
        std::fprintf(stderr,
                     "assay report: unknown language '%s' (expected en, zh-Hant or zh-Hans)\n",
                     l.c_str());
        return kExitUsage;
      }
    }
    if (disclose::builtin_report_data_diagnostics().has_errors()) {
      for (const auto& d : disclose::builtin_report_data_diagnostics().items()) {
        std::fprintf(stderr, "assay report: built-in report data: %s\n", d.to_string().c_str());
      }
      return kExitDataError;
    }
    const auto t0 = std::chrono::steady_clock::now();
    ReadOptions ro;
    ro.quarantine_dir = opt->quarantine;
    ro.write_quarantine = !opt->no_quarantine;
    ro.progress = terminal_progress("reading");
    CalcRun run;
    Status s = run_calc(opt->package, ro, ASSAY_VERSION, &run);
    clear_progress_line();
    if (!s) {
      std::fprintf(stderr, "assay report: %s\n", s.message().c_str());
      return kExitDataError;
    }
    const Manifest& m = run.read.package.manifest;
    if (langs.empty()) langs = m.languages;
    if (langs.empty()) langs = {"en"};

    disclose::ReportInput input;
    input.package = &run.read.package;
    input.inventory = &run.inventory;
    input.metrics = &run.metrics;
    input.library = run.library.get();
    input.diagnostics = run.input_diagnostics();
    input.run_hash = run.run_hash;
    input.engine_version = ASSAY_VERSION;
    std::vector<disclose::Report> reports;
    for (const std::string& l : langs) reports.push_back(disclose::build_report(input, l));

    const std::filesystem::path dir(opt->out);
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec) {
      std::fprintf(stderr, "assay report: cannot create %s: %s\n", dir.string().c_str(),
                   ec.message().c_str());
      return kExitDataError;
    }
    auto wants = [&](const char* f) {
      return std::find(formats.begin(), formats.end(), f) != formats.end();
    };
    std::vector<std::string> written;
    for (const disclose::Report& r : reports) {
      const std::string stem = "report." + r.language;
      if (wants("html")) {
        if (Status w = write_file(dir / (stem + ".html"), disclose::render_html(r)); !w) s = w;
        written.push_back((dir / (stem + ".html")).string());
      }
      if (wants("md")) {
        if (Status w = write_file(dir / (stem + ".md"), disclose::render_markdown(r)); !w) s = w;
        written.push_back((dir / (stem + ".md")).string());
      }
      if (wants("xlsx")) {
        if (Status w = write_xlsx(dir / (stem + ".xlsx"), r); !w) s = w;
        written.push_back((dir / (stem + ".xlsx")).string());
      }
    }
    if (wants("json")) {
      const std::string calc = calc_document_json(m.name, m.reporting_year, run.run_hash,
                                                  run.inventory, run.input_diagnostics());
      if (Status w = write_file(dir / "report.json", disclose::render_json(reports, calc)); !w)
        s = w;
      written.push_back((dir / "report.json").string());
    }
    if (!s) {
      std::fprintf(stderr, "assay report: %s\n", s.message().c_str());
      return kExitDataError;
    }
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    size_t errors = 0, warnings = 0;
    for (const auto& w : reports.front().warnings) (w.severity == "error" ? errors : warnings) += 1;
    std::printf("%s, reporting year %d: report written to %s (%.2f s, %zu errors, %zu warnings)\n",
                m.name.c_str(), m.reporting_year, dir.string().c_str(), seconds, errors, warnings);
    for (const std::string& w : written) std::printf("  %s\n", w.c_str());
    return run.has_errors() ? kExitDataError : kExitOk;
  };
}

}  // namespace assay::cli
