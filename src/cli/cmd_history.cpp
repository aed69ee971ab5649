// assay history RECORD_ID --db FILE: every version of a record, with who,
// when and why (issue 7, item 1).
#include <cstdio>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cli/command.hpp"
#include "ledger/ledger.hpp"

namespace assay::cli {

namespace {

// Composite keys are JSON arrays of strings in the ledger; on the command
// line "2024|headcount|gender|female" is accepted for them too.
std::string ledger_key(const std::string& table, const std::string& id) {
  const bool composite = table == "workforce" || table == "disclosures" || table == "factors";
  if (!composite || id.empty() || id.front() == '[') return id;
  std::vector<std::string> parts;
  std::stringstream in(id);
  std::string part;
  while (std::getline(in, part, '|')) parts.push_back(part);
  if (!id.empty() && id.back() == '|') parts.emplace_back();
  return nlohmann::json(parts).dump();
}

}  // namespace

CommandRunner register_history(CLI::App& app) {
  struct Options {
    std::string id;
    std::string db;
    std::string table;
    bool json = false;
  };
  auto opt = std::make_shared<Options>();
  CLI::App* cmd = app.add_subcommand(
      "history",
      "Show every version of a record, oldest first: version, time, user, reason, batch and the "
      "record's content (a tombstone where it left a re-submitted package). Exit 1 if the ledger "
      "has no record with that key.");
  cmd->add_option("record_id", opt->id,
                  "The record's key: record_id, site_id, instrument_id, meter_id, target_id; for "
                  "workforce, disclosures and factors the key columns joined with | "
                  "(e.g. 2024|headcount|gender|female)")
      ->required();
  cmd->add_option("--db", opt->db, "The ledger file")->required();
  cmd->add_option("--table", opt->table,
                  "Only this table (activities, sites, instruments, meters, targets, workforce, "
                  "disclosures, factors, manifest); default: every table");
  cmd->add_flag("--json", opt->json, "Print the versions as a JSON array on stdout");
  return [opt]() {
    if (!std::filesystem::exists(opt->db)) {
      std::fprintf(stderr, "assay history: no ledger at %s\n", opt->db.c_str());
      return kExitDataError;
    }
    std::unique_ptr<Ledger> ledger;
    Status s = Ledger::open(opt->db, &ledger);
    std::vector<RecordVersion> versions;
    if (s) {
      s = ledger->history(opt->table, opt->id, &versions);
      if (s && versions.empty() && !opt->table.empty()) {
        s = ledger->history(opt->table, ledger_key(opt->table, opt->id), &versions);
      }
      if (s && versions.empty() && opt->table.empty()) {
        for (const char* t : {"workforce", "disclosures", "factors"}) {
          if (!versions.empty() || !s) break;
          s = ledger->history(t, ledger_key(t, opt->id), &versions);
        }
      }
    }
    if (!s) {
      std::fprintf(stderr, "assay history: %s\n", s.message().c_str());
      return kExitDataError;
    }
    if (opt->json) {
      nlohmann::ordered_json out = nlohmann::ordered_json::array();
      for (const RecordVersion& v : versions) {
        out.push_back({{"table", v.table},
                       {"key", v.key},
                       {"version", v.version},
                       {"tombstone", v.tombstone},
                       {"created_at", format_utc_timestamp(v.created_at)},
                       {"user", v.user},
                       {"reason", v.reason},
                       {"batch_id", v.batch_id},
                       {"package", v.package_name},
                       {"source_file", v.source.file},
                       {"source_line", v.source.line},
                       {"content_hash", v.content_hash},
                       {"content", nlohmann::ordered_json::parse(v.content)}});
      }
      std::printf("%s\n", out.dump(2).c_str());
    }
    if (versions.empty()) {
      std::fprintf(stderr, "assay history: no record %s in %s\n", opt->id.c_str(), opt->db.c_str());
      return kExitDataError;
    }
    if (opt->json) return kExitOk;
    std::string current;
    for (const RecordVersion& v : versions) {
      if (v.table + " " + v.key != current) {
        current = v.table + " " + v.key;
        std::printf("%s\n", current.c_str());
      }
      std::string where =
          v.source.file.empty() ? "" : ", " + v.source.file + ":" + std::to_string(v.source.line);
      std::printf("  v%lld  %s  by %s  batch %lld (%s%s)%s%s\n", static_cast<long long>(v.version),
                  format_utc_timestamp(v.created_at).c_str(), v.user.c_str(),
                  static_cast<long long>(v.batch_id), v.package_name.c_str(), where.c_str(),
                  v.reason.empty() ? "" : "  reason: ", v.reason.c_str());
      if (v.tombstone) {
        std::printf("      (tombstone: absent from the re-submitted package)\n");
      } else {
        std::printf("      %s\n", v.content.c_str());
      }
    }
    return kExitOk;
  };
}

}  // namespace assay::cli
