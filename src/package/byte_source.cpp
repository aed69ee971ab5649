#include "package/byte_source.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cerrno>
#include <cstring>

namespace assay {
namespace {

class FileSource final : public ByteSource {
 public:
  FileSource(int fd, uint64_t size, std::string path)
      : fd_(fd), size_(size), path_(std::move(path)) {}
  ~FileSource() override { ::close(fd_); }
  size_t read(char* buf, size_t n, Status* status) override {
    for (;;) {
      ssize_t got = ::read(fd_, buf, n);
      if (got >= 0) return static_cast<size_t>(got);
      if (errno == EINTR) continue;
      *status = Status::error(path_ + ": read failed: " + std::strerror(errno));
      return 0;
    }
  }
  uint64_t size() const override { return size_; }

 private:
  int fd_;
  uint64_t size_;
  std::string path_;
};

class StringSource final : public ByteSource {
 public:
  explicit StringSource(std::string bytes) : bytes_(std::move(bytes)) {}
  size_t read(char* buf, size_t n, Status*) override {
    size_t take = std::min(n, bytes_.size() - pos_);
    std::memcpy(buf, bytes_.data() + pos_, take);
    pos_ += take;
    return take;
  }
  uint64_t size() const override { return bytes_.size(); }

 private:
  std::string bytes_;
  size_t pos_ = 0;
};

}  // namespace

Status open_file_source(const std::string& path, std::unique_ptr<ByteSource>* out) {
  return open_file_source_at(path, 0, out);
}

Status open_file_source_at(const std::string& path, uint64_t offset,
                           std::unique_ptr<ByteSource>* out) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Status::error(path + ": cannot open: " + std::strerror(errno));
  struct stat st {};
  uint64_t size = 0;
  if (::fstat(fd, &st) == 0) size = static_cast<uint64_t>(st.st_size);
  if (offset > 0 && ::lseek(fd, static_cast<off_t>(offset), SEEK_SET) < 0) {
    Status s = Status::error(path + ": cannot seek: " + std::strerror(errno));
    ::close(fd);
    return s;
  }
#ifdef POSIX_FADV_SEQUENTIAL
  ::posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
#endif
  *out = std::make_unique<FileSource>(fd, size, path);
  return Status::ok();
}

std::unique_ptr<ByteSource> make_string_source(std::string bytes) {
  return std::make_unique<StringSource>(std::move(bytes));
}

}  // namespace assay
