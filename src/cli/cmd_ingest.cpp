// assay ingest PACKAGE --db FILE: validate a package and write its good rows
// to the ledger as one batch (docs/ledger-schema.md).
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <nlohmann/json.hpp>

#include "cli/cli_util.hpp"
#include "cli/command.hpp"
#include "ledger/ledger.hpp"
#include "package/package_reader.hpp"

namespace assay::cli {

CommandRunner register_ingest(CLI::App& app) {
  struct Options {
    std::string package;
    std::string db;
    std::string user;
    std::string reason;
    std::string quarantine;
    bool json = false;
  };
  auto opt = std::make_shared<Options>();
  CLI::App* cmd = app.add_subcommand(
      "ingest",
      "Validate a data package and load its good rows into the ledger as one batch, in one "
      "transaction (all of it or nothing). Changed rows become new versions, rows missing from a "
      "re-submitted package of the same name become tombstones, identical content changes "
      "nothing. Rejected rows are reported and quarantined as by `assay validate`. Refused when "
      "a change touches a locked year. Exit 0 when nothing was rejected, 1 when rows were "
      "rejected (the good rows are still loaded) or the ingest was refused.");
  cmd->add_option("package", opt->package, "The package folder or .zip")->required();
  cmd->add_option("--db", opt->db, "The ledger file (SQLite; created if missing)")->required();
  cmd->add_option("--user", opt->user, "Who is loading (default: $USER, else \"unknown\")");
  cmd->add_option("--reason", opt->reason, "Why (kept with the batch, e.g. \"Q3 correction\")");
  cmd->add_option("--quarantine", opt->quarantine,
                  "Folder for rejected rows (default: <package>.quarantine beside the package)");
  cmd->add_flag("--json", opt->json, "Print the batch summary as JSON on stdout");
  return [opt]() {
    std::string user = opt->user;
    if (user.empty()) {
      const char* env = std::getenv("USER");
      user = env != nullptr && *env != '\0' ? env : "unknown";
    }
    ReadOptions ro;
    ro.quarantine_dir = opt->quarantine;
    ro.progress = opt->json ? nullptr : terminal_progress("reading");
    PackageReadResult read;
    Status s = read_package(opt->package, ro, &read);
    clear_progress_line();
    if (!s) {
      std::fprintf(stderr, "assay ingest: %s\n", s.message().c_str());
      return kExitDataError;
    }
    print_diagnostics(read.diagnostics);

    std::unique_ptr<Ledger> ledger;
    s = Ledger::open(opt->db, &ledger);
    IngestResult r;
    if (s) {
      IngestOptions io;
      io.user = user;
      io.reason = opt->reason;
      s = ledger->ingest(read.package, read.content_hash, io, &r);
    }
    if (!s) {
      std::fprintf(stderr, "assay ingest: %s\n", s.message().c_str());
      return kExitDataError;
    }
    const bool rejected = read.rows_rejected > 0 || read.diagnostics.has_errors();
    if (opt->json) {
      nlohmann::ordered_json j{{"package", read.package.manifest.name},
                               {"content_hash", read.content_hash},
                               {"batch_id", r.batch_id},
                               {"created_at", r.batch_id ? format_utc_timestamp(r.created_at) : ""},
                               {"user", user},
                               {"inserted", r.inserted},
                               {"updated", r.updated},
                               {"tombstoned", r.tombstoned},
                               {"unchanged", r.unchanged},
                               {"rows_read", read.rows_read},
                               {"rows_rejected", read.rows_rejected},
                               {"quarantine_dir", read.quarantine_dir},
                               {"audit_hash", r.audit_hash}};
      std::printf("%s\n", j.dump(2).c_str());
    } else if (r.batch_id == 0) {
      std::printf("%s: nothing changed (%llu records already in the ledger)\n",
                  read.package.manifest.name.c_str(), static_cast<unsigned long long>(r.unchanged));
    } else {
      std::printf(
          "batch %lld (%s, %s by %s): %llu inserted, %llu updated, %llu tombstoned, %llu "
          "unchanged\n",
          static_cast<long long>(r.batch_id), read.package.manifest.name.c_str(),
          format_utc_timestamp(r.created_at).c_str(), user.c_str(),
          static_cast<unsigned long long>(r.inserted), static_cast<unsigned long long>(r.updated),
          static_cast<unsigned long long>(r.tombstoned),
          static_cast<unsigned long long>(r.unchanged));
    }
    if (rejected) {
      std::fprintf(stderr, "%s: %llu rows rejected%s%s\n", opt->package.c_str(),
                   static_cast<unsigned long long>(read.rows_rejected),
                   read.quarantine_dir.empty() ? "" : "; rejected input in ",
                   read.quarantine_dir.c_str());
    }
    return rejected ? kExitDataError : kExitOk;
  };
}

}  // namespace assay::cli
