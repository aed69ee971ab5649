// records_identity(): the content identity calc's run hash is built on
// (docs/ledger-schema.md, "Records identity").
#include <string>

#include "ledger/ledger.hpp"
#include "ledger/record_codec.hpp"
#include "units/sha256.hpp"

namespace assay {

std::string records_identity(const Package& package) {
  using namespace ledger_internal;
  Sha256 h;
  std::string buf;
  buf.reserve(1 << 17);
  auto field = [&buf](std::string_view s) {
    buf += std::to_string(s.size());
    buf += ':';
    buf += s;
    buf += ';';
  };
  field("assay-records-v1");
  for (LedgerTable table : kAllTables) {
    const size_t n = record_count(package, table);
    for (size_t i = 0; i < n; ++i) {
      EncodedRecord rec = encode_record(package, table, i);
      field(table_name(table));
      field(rec.key);
      field(rec.content);
      field(rec.source.file);
      field(std::to_string(rec.source.line));
      if (buf.size() >= (1 << 16)) {
        h.update(buf);
        buf.clear();
      }
    }
  }
  h.update(buf);
  return "records-sha256:" + h.hex_digest();
}

}  // namespace assay
