#include "engine/tokenizer/pretokenize.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "engine/tokenizer/error.h"

namespace blockfp8::engine {
namespace {

std::string pcre2_message(int code) {
  PCRE2_UCHAR buf[256];
  pcre2_get_error_message(code, buf, sizeof(buf));
  return reinterpret_cast<const char*>(buf);
}

struct MatchData {
  explicit MatchData(const pcre2_code* code)
      : data(pcre2_match_data_create_from_pattern(code, nullptr)) {
    if (data == nullptr) throw TokenizerError("pre-tokenizer: out of memory for PCRE2 match data");
  }
  ~MatchData() { pcre2_match_data_free(data); }
  MatchData(const MatchData&) = delete;
  MatchData& operator=(const MatchData&) = delete;
  pcre2_match_data* data;
};

}  // namespace

struct RegexSplitter::Impl {
  pcre2_code* code = nullptr;
  bool jit = false;
  ~Impl() { pcre2_code_free(code); }

  // One match at or after start; returns false when there is none.
  bool match(std::string_view text, std::size_t start, MatchData& md, std::size_t& begin,
             std::size_t& end) const {
    const auto* subject = reinterpret_cast<PCRE2_SPTR>(text.data());
    // The caller checked that text is UTF-8, so PCRE2 need not check it again on every call.
    int rc = pcre2_match(code, subject, text.size(), start, PCRE2_NO_UTF_CHECK, md.data, nullptr);
    if (rc == PCRE2_ERROR_JIT_STACKLIMIT) {
      // A very long whitespace run can exhaust the JIT's small default stack; the interpreter
      // keeps its backtracking state on the heap and handles it.
      rc = pcre2_match(code, subject, text.size(), start, PCRE2_NO_UTF_CHECK | PCRE2_NO_JIT,
                       md.data, nullptr);
    }
    if (rc == PCRE2_ERROR_NOMATCH) return false;
    if (rc < 0) throw TokenizerError("pre-tokenizer: PCRE2 match failed: " + pcre2_message(rc));
    const PCRE2_SIZE* ov = pcre2_get_ovector_pointer(md.data);
    begin = ov[0];
    end = ov[1];
    return true;
  }
};

RegexSplitter::RegexSplitter(const std::string& pattern) : impl_(std::make_unique<Impl>()) {
  int err = 0;
  PCRE2_SIZE err_offset = 0;
  impl_->code = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(pattern.data()), pattern.size(),
                              PCRE2_UTF | PCRE2_UCP, &err, &err_offset, nullptr);
  if (impl_->code == nullptr) {
    throw TokenizerError("pre-tokenizer: cannot compile split regex at offset " +
                         std::to_string(err_offset) + ": " + pcre2_message(err));
  }
  // JIT is an optimization only: some builds or platforms lack it.
  impl_->jit = pcre2_jit_compile(impl_->code, PCRE2_JIT_COMPLETE) == 0;
}

RegexSplitter::~RegexSplitter() = default;

void RegexSplitter::split(std::string_view text, std::vector<std::string_view>& out) const {
  if (text.empty()) return;
  MatchData md(impl_->code);
  std::size_t gap = 0;     // start of the text not yet assigned to a piece
  std::size_t search = 0;  // where the next match may start
  std::size_t begin = 0;
  std::size_t end = 0;
  while (search < text.size() && impl_->match(text, search, md, begin, end)) {
    if (end == begin) {
      // An empty match isolates nothing (the Qwen2 pattern has none, a file's pattern might):
      // step over one character and let it join the surrounding gap.
      search = begin + 1;
      while (search < text.size() && (static_cast<unsigned char>(text[search]) & 0xC0) == 0x80) {
        ++search;
      }
      continue;
    }
    if (begin > gap) out.push_back(text.substr(gap, begin - gap));
    out.push_back(text.substr(begin, end - begin));
    gap = search = end;
  }
  if (gap < text.size()) out.push_back(text.substr(gap));
}

}  // namespace blockfp8::engine
