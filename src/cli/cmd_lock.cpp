// assay lock / unlock / signoff YEAR --db FILE: period locks and approvals
// (issue 7, item 4). Each is one ledger transaction with an audit entry
// (docs/ledger-schema.md, "Period locks", "audit_log").
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>

#include "cli/command.hpp"
#include "ledger/ledger.hpp"

namespace assay::cli {

namespace {

struct ChangeArgs {
  int year = 0;
  std::string db;
  std::string user;
  std::string reason;
  std::string run;
  bool json = false;
};

void add_common(CLI::App* cmd, ChangeArgs* a) {
  cmd->add_option("year", a->year, "The reporting year")->required()->check(CLI::Range(1900, 9999));
  cmd->add_option("--db", a->db, "The ledger file")->required();
  cmd->add_option("--user", a->user, "Who (default: $USER, else \"unknown\")");
  cmd->add_flag("--json", a->json, "Print the result as JSON on stdout");
}

std::string who(const std::string& given) {
  if (!given.empty()) return given;
  const char* env = std::getenv("USER");
  return env != nullptr && *env != '\0' ? env : "unknown";
}

// Opens an existing ledger (a lock on a file that does not exist is a typo).
Status open_existing(const std::string& db, std::unique_ptr<Ledger>* out) {
  if (!std::filesystem::exists(db)) return Status::error("no ledger at " + db);
  return Ledger::open(db, out);
}

int fail(const char* command, const Status& s) {
  std::fprintf(stderr, "assay %s: %s\n", command, s.message().c_str());
  return kExitDataError;
}

void print_json(const char* action, const ChangeArgs& a, const std::string& user,
                const std::string& head) {
  nlohmann::ordered_json j{{"action", action}, {"year", a.year}, {"user", user}};
  if (!a.reason.empty()) j["reason"] = a.reason;
  if (!a.run.empty()) j["run_hash"] = a.run;
  j["chain_head"] = head;
  std::printf("%s\n", j.dump(2).c_str());
}

}  // namespace

CommandRunner register_lock(CLI::App& app) {
  auto a = std::make_shared<ChangeArgs>();
  CLI::App* cmd = app.add_subcommand(
      "lock",
      "Lock a reporting year: from now on any ingest that would write a record version touching "
      "that year (new, changed or tombstoned records whose period or year falls in it) is refused "
      "whole. Recorded in the audit log. Exit 0 when locked, 1 when already locked or on error.");
  add_common(cmd, a.get());
  cmd->add_option("--reason", a->reason, "Why (kept in the audit entry)");
  return [a]() {
    std::unique_ptr<Ledger> ledger;
    Status s = open_existing(a->db, &ledger);
    const std::string user = who(a->user);
    if (s) s = ledger->lock(a->year, ChangeOptions{user, a->reason, nullptr});
    std::string head;
    if (s) s = ledger->chain_head(&head);
    if (!s) return fail("lock", s);
    if (a->json) {
      print_json("lock", *a, user, head);
    } else {
      std::printf("locked %d by %s; chain head %s\n", a->year, user.c_str(), head.c_str());
    }
    return kExitOk;
  };
}

CommandRunner register_unlock(CLI::App& app) {
  auto a = std::make_shared<ChangeArgs>();
  CLI::App* cmd = app.add_subcommand(
      "unlock",
      "Unlock a reporting year so that it can be corrected; the reason is required and kept in "
      "the audit log with who and when. Exit 0 when unlocked, 1 when it was not locked or on "
      "error.");
  add_common(cmd, a.get());
  cmd->add_option("--reason", a->reason, "Why the locked year must change")->required();
  return [a]() {
    std::unique_ptr<Ledger> ledger;
    Status s = open_existing(a->db, &ledger);
    const std::string user = who(a->user);
    if (s) s = ledger->unlock(a->year, ChangeOptions{user, a->reason, nullptr});
    std::string head;
    if (s) s = ledger->chain_head(&head);
    if (!s) return fail("unlock", s);
    if (a->json) {
      print_json("unlock", *a, user, head);
    } else {
      std::printf("unlocked %d by %s (%s); chain head %s\n", a->year, user.c_str(),
                  a->reason.c_str(), head.c_str());
    }
    return kExitOk;
  };
}

CommandRunner register_signoff(CLI::App& app) {
  auto a = std::make_shared<ChangeArgs>();
  CLI::App* cmd = app.add_subcommand(
      "signoff",
      "Record that USER approved the calc run RUN_HASH (the run_hash of `assay calc --json`) for "
      "a year, and print the audit chain head after it. Keep that head outside the database: "
      "`assay verify --head HEAD` then also catches a truncated or rewritten log.");
  add_common(cmd, a.get());
  cmd->add_option("--run", a->run, "The run hash approved (sha256:...)")->required();
  cmd->add_option("--reason", a->reason, "A note kept with the approval");
  return [a]() {
    const bool hex64 = a->run.size() == 7 + 64 && a->run.rfind("sha256:", 0) == 0 &&
                       a->run.find_first_not_of("0123456789abcdef", 7) == std::string::npos;
    if (!hex64) {
      std::fprintf(stderr,
                   "assay signoff: --run '%s' is not a run hash (sha256: and 64 lower-case hex "
                   "digits, as `assay calc --json` prints it)\n",
                   a->run.c_str());
      return kExitUsage;
    }
    std::unique_ptr<Ledger> ledger;
    Status s = open_existing(a->db, &ledger);
    const std::string user = who(a->user);
    std::string head;
    if (s) s = ledger->signoff(a->year, a->run, ChangeOptions{user, a->reason, nullptr}, &head);
    if (!s) return fail("signoff", s);
    if (a->json) {
      print_json("signoff", *a, user, head);
    } else {
      std::printf("signed off %d run %s by %s\nchain head %s\n", a->year, a->run.c_str(),
                  user.c_str(), head.c_str());
      std::printf(
          "keep the chain head outside the ledger; check with: assay verify --db %s "
          "--head %s\n",
          a->db.c_str(), head.c_str());
    }
    return kExitOk;
  };
}

}  // namespace assay::cli
