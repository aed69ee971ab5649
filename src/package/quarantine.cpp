#include "package/quarantine.hpp"

#include <filesystem>

namespace assay {

namespace fs = std::filesystem;

std::string csv_escape(std::string_view field) {
  bool needs = field.find_first_of(",\"\r\n") != std::string_view::npos;
  if (!needs) return std::string(field);
  std::string out = "\"";
  for (char c : field) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

Quarantine::Quarantine(std::string dir, bool enabled) : dir_(std::move(dir)), enabled_(enabled) {
  if (dir_.empty()) enabled_ = false;
}

Quarantine::~Quarantine() { finish(); }

Quarantine::Quarantine(InMemory) : enabled_(false), in_memory_(true) {}

void Quarantine::move_into(Quarantine* target) {
  for (auto& h : held_) target->write(h.name, h.header, h.bytes);
  for (auto& d : reasons_) target->add_reason(std::move(d));
  held_.clear();
  reasons_.clear();
  used_ = false;
}

std::ofstream* Quarantine::open(const std::string& name, std::string_view header) {
  used_ = true;
  if (!enabled_) return nullptr;
  auto it = files_.find(name);
  if (it != files_.end()) return it->second.get();
  std::error_code ec;
  if (!prepared_) {
    prepared_ = true;
    fs::create_directories(dir_, ec);
    // A previous run's output would mix with this one's.
    for (const auto& entry : fs::recursive_directory_iterator(dir_, ec)) {
      if (entry.is_regular_file()) fs::remove(entry.path(), ec);
    }
  }
  fs::path path = fs::path(dir_) / name;
  fs::create_directories(path.parent_path(), ec);
  auto out = std::make_unique<std::ofstream>(path, std::ios::binary | std::ios::trunc);
  if (!*out && status_.is_ok())
    status_ = Status::error(path.string() + ": cannot write quarantine file");
  out->write(header.data(), static_cast<std::streamsize>(header.size()));
  auto* raw = out.get();
  files_.emplace(name, std::move(out));
  return raw;
}

void Quarantine::write(const std::string& name, std::string_view header, std::string_view bytes) {
  if (in_memory_) {
    used_ = true;
    if (held_.empty() || held_.back().name != name || held_.back().header != header)
      held_.push_back({name, std::string(header), {}});
    held_.back().bytes.append(bytes);
    return;
  }
  std::ofstream* out = open(name, header);
  if (out) out->write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

void Quarantine::add_reason(const Diagnostic& d) {
  used_ = true;
  reasons_.push_back(d);
}

Status Quarantine::finish() {
  if (in_memory_) return status_;
  if (enabled_ && !reasons_.empty()) {
    open("reasons.csv", "file,line,column,code,message\n");
    auto& out = *files_["reasons.csv"];
    for (const auto& d : reasons_) {
      out << csv_escape(d.file) << ',' << d.line << ',' << d.column << ',' << csv_escape(d.code)
          << ',' << csv_escape(d.message) << '\n';
    }
    reasons_.clear();
  }
  for (auto& [name, f] : files_) {
    f->flush();
    if (!*f && status_.is_ok()) status_ = Status::error(dir_ + "/" + name + ": write failed");
    f->close();
  }
  files_.clear();
  return status_;
}

}  // namespace assay
