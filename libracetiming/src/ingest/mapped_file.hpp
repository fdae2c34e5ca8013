#pragma once
// Internal: a file mapped read-only, for imports: a large file is read without a copy in memory, and the
// pages already read are let go as the import moves on.
#include <cstddef>
#include <string>
#include <string_view>

namespace racetiming::ingest::detail {

class MappedFile {
 public:
  // Error(invalid_parameter, "path") when the file cannot be opened or read.
  explicit MappedFile(const std::string& path);
  ~MappedFile();
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;

  std::string_view text() const noexcept { return {static_cast<const char*>(data_), size_}; }
  // The first `bytes` will not be read again: their pages leave memory (the file keeps them).
  void release_before(std::size_t bytes) noexcept;

 private:
  void* data_ = nullptr;
  std::size_t size_ = 0;
  std::size_t released_ = 0;
};

}  // namespace racetiming::ingest::detail
