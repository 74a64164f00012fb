// The positioned JSON tree (model/json.h), built from rapidjson SAX events.
//
// The stream below reads the file's text in place and has no copy
// optimisation: the parser advances this very object, so its Tell() is the
// byte offset the parser has reached when it calls a handler, which is how
// every node learns where it ends (and, from its length or its opening
// quote, where it starts). The iterative parser is used, so a hostile
// nesting depth costs heap, not stack. Strings are decoded by rapidjson into
// its own stack; only those that held an escape are kept (in `decoded`), the
// others are viewed in the text.
#include "model/json.h"

#include <rapidjson/error/en.h>
#include <rapidjson/reader.h>

#include <cstring>

namespace obslint::json {
namespace {

class TextStream {
 public:
  using Ch = char;
  explicit TextStream(const char* text) : src_(text), head_(text) {}
  Ch Peek() const { return *src_; }
  Ch Take() { return *src_++; }
  size_t Tell() const { return static_cast<size_t>(src_ - head_); }
  // Writing is for in-situ parsing only, which this stream is not used for.
  Ch* PutBegin() { return nullptr; }
  void Put(Ch) {}
  void Flush() {}
  size_t PutEnd(Ch*) { return 0; }

 private:
  const char* src_;
  const char* head_;
};

class Builder : public rapidjson::BaseReaderHandler<rapidjson::UTF8<>, Builder> {
 public:
  Builder(Document& doc, const TextStream& stream, const Limits& limits)
      : doc_(doc), text_(doc.source), stream_(stream), limits_(limits) {}

  bool Null() { return Add(Kind::kNull, Offset() - 4, Offset()); }
  bool Bool(bool b) {
    uint32_t end = Offset();
    if (!Add(Kind::kBool, end - (b ? 4 : 5), end)) return false;
    doc_.nodes.back().boolean = b;
    return true;
  }
  bool RawNumber(const char*, rapidjson::SizeType length, bool) {
    uint32_t end = Offset();
    uint32_t begin = end - length;
    if (!Add(Kind::kNumber, begin, end)) return false;
    Node& n = doc_.nodes.back();
    n.text_offset = begin;
    n.text_size = length;
    return true;
  }
  bool String(const char* str, rapidjson::SizeType length, bool) {
    uint32_t end = Offset();
    uint32_t begin = OpeningQuote(end);
    if (!Add(Kind::kString, begin, end)) return false;
    Node& n = doc_.nodes.back();
    Place(str, length, begin, end, n.text_offset, n.text_size, n.text_decoded);
    return true;
  }
  bool Key(const char* str, rapidjson::SizeType length, bool) {
    key_end_ = Offset();
    key_begin_ = OpeningQuote(key_end_);
    Place(str, length, key_begin_, key_end_, key_offset_, key_size_, key_decoded_);
    return true;
  }
  // The iterative parser calls StartObject/StartArray before it takes the
  // bracket and EndObject/EndArray before it takes the closing one.
  bool StartObject() { return Open(Kind::kObject); }
  bool StartArray() { return Open(Kind::kArray); }
  bool EndObject(rapidjson::SizeType) { return Close(); }
  bool EndArray(rapidjson::SizeType) { return Close(); }

  bool too_deep = false;
  bool too_large = false;

 private:
  struct Frame {
    uint32_t node;
    uint32_t last_child;
  };

  uint32_t Offset() const { return static_cast<uint32_t>(stream_.Tell()); }

  // The string ends at `end` (just past its closing quote): its opening
  // quote is the nearest `"` before that is not escaped (preceded by an even
  // number of backslashes), as any `"` inside a valid string is escaped.
  uint32_t OpeningQuote(uint32_t end) const {
    size_t i = end - 1;  // the closing quote
    while (i > 0) {
      const void* q = memrchr(text_.data(), '"', i);
      if (q == nullptr) return 0;
      i = static_cast<size_t>(static_cast<const char*>(q) - text_.data());
      size_t backslashes = 0;
      while (i > backslashes && text_[i - 1 - backslashes] == '\\') ++backslashes;
      if (backslashes % 2 == 0) return static_cast<uint32_t>(i);
    }
    return 0;
  }

  // Where a decoded string lives: in the text itself when it held no escape
  // (the decoded bytes equal the written ones), else copied to `decoded`.
  void Place(const char* str, uint32_t length, uint32_t begin, uint32_t end, uint32_t& offset,
             uint32_t& size, bool& decoded) {
    size = length;
    if (end - begin - 2 == length) {
      offset = begin + 1;
      decoded = false;
    } else {
      offset = static_cast<uint32_t>(doc_.decoded.size());
      doc_.decoded.append(str, length);
      decoded = true;
    }
  }

  // Appends a node as the next child of the open container.
  bool Add(Kind kind, uint32_t begin, uint32_t end) {
    if (doc_.nodes.size() >= limits_.max_nodes) {
      too_large = true;
      return false;
    }
    uint32_t index = static_cast<uint32_t>(doc_.nodes.size());
    Node& n = doc_.nodes.emplace_back();
    n.kind = kind;
    n.begin = begin;
    n.end = end;
    if (stack_.empty()) return true;
    Frame& parent = stack_.back();
    Node& p = doc_.nodes[parent.node];
    if (p.kind == Kind::kObject) {
      Node& child = doc_.nodes[index];
      child.key_begin = key_begin_;
      child.key_end = key_end_;
      child.key_offset = key_offset_;
      child.key_size = key_size_;
      child.key_decoded = key_decoded_;
    }
    if (parent.last_child == Node::kNone) p.first_child = index;
    else doc_.nodes[parent.last_child].next_sibling = index;
    parent.last_child = index;
    ++p.size;
    return true;
  }

  bool Open(Kind kind) {
    if (static_cast<int>(stack_.size()) >= limits_.max_depth) {
      too_deep = true;
      return false;
    }
    uint32_t at = Offset();
    if (!Add(kind, at, at + 1)) return false;
    stack_.push_back({static_cast<uint32_t>(doc_.nodes.size() - 1), Node::kNone});
    return true;
  }

  bool Close() {
    if (stack_.empty()) return false;
    doc_.nodes[stack_.back().node].end = Offset() + 1;
    stack_.pop_back();
    return true;
  }

  Document& doc_;
  std::string_view text_;
  const TextStream& stream_;
  const Limits& limits_;
  std::vector<Frame> stack_;
  uint32_t key_begin_ = 0, key_end_ = 0, key_offset_ = 0, key_size_ = 0;
  bool key_decoded_ = false;
};

}  // namespace

const Node* Document::Get(const Node& n, std::string_view key) const {
  if (n.kind != Kind::kObject) return nullptr;
  const Node* found = nullptr;
  for (const Node& c : Children(n))
    if (Key(c) == key) found = &c;
  return found;
}

std::string_view Document::String(const Node& n, std::string_view key) const {
  const Node* v = Get(n, key);
  return v != nullptr && v->kind == Kind::kString ? Text(*v) : std::string_view();
}

void Parse(std::string_view text, Document& doc, const Limits& limits) {
  doc.nodes.clear();
  doc.decoded.clear();
  doc.error = {};
  doc.source = text;
  if (text.size() >= UINT32_MAX) {
    doc.error = {true, 0, "file too large"};
    return;
  }
  // A pretty-printed dashboard has about one value per 40 bytes; reserving
  // more costs address space only (pages are touched as nodes are written),
  // growing would copy the whole vector.
  doc.nodes.reserve(text.size() / 24 + 16);

  TextStream stream(text.data());
  Builder builder(doc, stream, limits);
  rapidjson::Reader reader;
  constexpr unsigned kFlags = rapidjson::kParseIterativeFlag | rapidjson::kParseNumbersAsStringsFlag;
  rapidjson::ParseResult result = reader.Parse<kFlags>(stream, builder);
  if (result.IsError()) {
    doc.error.failed = true;
    doc.error.offset = static_cast<uint32_t>(result.Offset());
    if (builder.too_deep) {
      doc.error.message = "nesting deeper than " + std::to_string(limits.max_depth) + " levels";
    } else if (builder.too_large) {
      doc.error.message = "more than " + std::to_string(limits.max_nodes) + " values";
    } else {
      // "Missing a comma or '}' after an object member." -> "missing a comma ... member"
      std::string m = rapidjson::GetParseError_En(result.Code());
      if (!m.empty() && m.back() == '.') m.pop_back();
      if (!m.empty() && m[0] >= 'A' && m[0] <= 'Z' && !(m.size() > 1 && m[1] >= 'A' && m[1] <= 'Z'))
        m[0] = static_cast<char>(m[0] - 'A' + 'a');
      doc.error.message = std::move(m);
    }
    doc.nodes.clear();
  }
}

}  // namespace obslint::json
