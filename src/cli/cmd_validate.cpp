// assay validate PACKAGE: check a data package against the contract.
#include <cstdio>
#include <filesystem>
#include <memory>

#include "cli/cli_util.hpp"
#include "cli/command.hpp"
#include "package/package_reader.hpp"

namespace assay::cli {

CommandRunner register_validate(CLI::App& app) {
  struct Options {
    std::string package;
    std::string quarantine;
    bool json = false;
    bool no_quarantine = false;
  };
  auto opt = std::make_shared<Options>();
  CLI::App* cmd = app.add_subcommand(
      "validate",
      "Check a data package (folder or .zip) against the contract: every error names file, line, "
      "column and the expected form; rejected rows are copied verbatim to the quarantine folder. "
      "Exit 0 when nothing was rejected, 1 otherwise.");
  cmd->add_option("package", opt->package, "The package folder or .zip")->required();
  cmd->add_option("--quarantine", opt->quarantine,
                  "Folder for rejected rows (default: <package>.quarantine beside the package)");
  cmd->add_flag("--no-quarantine", opt->no_quarantine, "Do not write the quarantine folder");
  cmd->add_flag("--json", opt->json, "Print {\"errors\": [...], \"warnings\": [...]} on stdout");
  return [opt]() {
    ReadOptions ro;
    ro.quarantine_dir = opt->quarantine;
    ro.write_quarantine = !opt->no_quarantine;
    ro.keep_records = false;
    ro.progress = terminal_progress("validating");
    PackageReadResult result;
    Status s = read_package(opt->package, ro, &result);
    clear_progress_line();
    if (!s) {
      std::fprintf(stderr, "assay validate: %s\n", s.message().c_str());
      // A path that does not exist is a usage mistake; a file that is not a
      // package is a data error.
      return std::filesystem::exists(opt->package) ? kExitDataError : kExitUsage;
    }
    if (opt->json) {
      std::printf("%s\n", diagnostics_json(result.diagnostics).dump(2).c_str());
    } else {
      print_diagnostics(result.diagnostics);
    }
    size_t errors = result.diagnostics.error_count();
    size_t warnings = result.diagnostics.items().size() - errors;
    std::fprintf(stderr, "%s: %llu rows read, %llu rejected, %zu errors, %zu warnings%s%s\n",
                 opt->package.c_str(), static_cast<unsigned long long>(result.rows_read),
                 static_cast<unsigned long long>(result.rows_rejected), errors, warnings,
                 result.quarantine_dir.empty() ? "" : "; rejected input in ",
                 result.quarantine_dir.c_str());
    return errors > 0 ? kExitDataError : kExitOk;
  };
}

}  // namespace assay::cli
