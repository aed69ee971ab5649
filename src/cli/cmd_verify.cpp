// assay verify --db FILE [--head HASH]: recompute the audit hash chain, every
// batch's records hash and every record's content hash (issue 7, item 3).
#include <cstdio>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>

#include "cli/command.hpp"
#include "ledger/ledger.hpp"

namespace assay::cli {

CommandRunner register_verify(CLI::App& app) {
  struct Options {
    std::string db;
    std::string head;
    bool json = false;
  };
  auto opt = std::make_shared<Options>();
  CLI::App* cmd = app.add_subcommand(
      "verify",
      "Recompute the ledger's SHA-256 audit chain, each batch's hash over its record versions "
      "and each record's content hash, and name the first audit entry that does not match. With "
      "--head (the chain head printed at sign-off, kept outside the database) a truncated or "
      "rewritten log is caught too. Exit 0 when everything matches, 1 otherwise.");
  cmd->add_option("--db", opt->db, "The ledger file")->required();
  cmd->add_option("--head", opt->head, "A chain head (64 hex digits) the log must still contain");
  cmd->add_flag("--json", opt->json, "Print the result as JSON on stdout");
  return [opt]() {
    if (!std::filesystem::exists(opt->db)) {
      std::fprintf(stderr, "assay verify: no ledger at %s\n", opt->db.c_str());
      return kExitDataError;
    }
    std::unique_ptr<Ledger> ledger;
    Status s = Ledger::open(opt->db, &ledger);
    VerifyResult v;
    if (s) {
      s = ledger->verify(opt->head.empty() ? std::nullopt : std::optional<std::string>(opt->head),
                         &v);
    }
    if (!s) {
      std::fprintf(stderr, "assay verify: %s\n", s.message().c_str());
      return kExitDataError;
    }
    if (opt->json) {
      nlohmann::ordered_json j{{"ok", v.ok},
                               {"entries", v.entries},
                               {"batches", v.batches},
                               {"versions", v.versions},
                               {"head", v.head}};
      if (!v.ok) {
        j["failed_entry"] = v.failed_seq;
        j["reason"] = v.reason;
      }
      std::printf("%s\n", j.dump(2).c_str());
    } else if (v.ok) {
      std::printf("ok: %lld audit entries, %lld batches, %lld record versions; head %s\n",
                  static_cast<long long>(v.entries), static_cast<long long>(v.batches),
                  static_cast<long long>(v.versions), v.head.c_str());
    } else {
      std::printf("FAILED: %s\n", v.reason.c_str());
    }
    return v.ok ? kExitOk : kExitDataError;
  };
}

}  // namespace assay::cli
