#pragma once
// The interchange CSV of import-formats.md: RFC 4180, UTF-8, header row, one row per entry.
#include <string_view>
#include <vector>

#include "racetiming/ingest/entry.hpp"

namespace racetiming::ingest {

struct CsvOptions {
  bool ignore_unknown_columns = false;
};

struct ParsedFile {
  std::vector<Entry> entries;   // the rows that passed validation
  std::vector<RowError> errors;  // the rows that did not
  std::size_t rows_read = 0;
};

class InterchangeReader;

// Parses and validates every row. A bad header (a required column missing, an unknown or repeated column,
// no header at all) throws Error(invalid_input); bad rows are collected with their line numbers.
ParsedFile parse_interchange_csv(std::string_view text, const CsvOptions& options = {});

// One RFC 4180 record splitter, shared by every CSV reader of the library. Yields records with the line
// each began on; throws Error(invalid_input) for an unterminated quote.
class CsvReader {
 public:
  explicit CsvReader(std::string_view text);
  // Next record into fields; false at end of input.
  bool next(std::vector<std::string>& fields);
  std::size_t line() const noexcept { return record_line_; }
  std::size_t position() const noexcept { return pos_; }  // bytes read so far

 private:
  std::string_view text_;
  std::size_t pos_ = 0;
  std::size_t line_ = 1;
  std::size_t record_line_ = 0;
};

// The same, a chunk of rows at a time: an import of a million entries holds one chunk in memory.
class InterchangeReader {
 public:
  // Reads and checks the header (Error(invalid_input) as parse_interchange_csv).
  explicit InterchangeReader(std::string_view text, const CsvOptions& options = {});
  // Up to max_rows further rows into `chunk` (cleared first): entries, errors and the count read.
  // False when no row was left.
  bool next(ParsedFile& chunk, std::size_t max_rows);
  std::size_t position() const noexcept { return reader_.position(); }

 private:
  CsvReader reader_;
  std::vector<int> at_;  // column of each field of the format (-1: absent)
  std::size_t width_ = 0;
  std::vector<std::string> fields_;
};

}  // namespace racetiming::ingest
