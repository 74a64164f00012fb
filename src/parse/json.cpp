// The positioned JSON tree (model/json.h), built from rapidjson SAX events.
//
// rapidjson parses in situ over a private copy of the text: strings are
// decoded into the copy where they were written, so nodes view them without
// allocating. The stream below is rapidjson's InsituStringStream without its
// copy optimisation: the parser then advances this very object, and its
// Tell() is the byte offset the parser has reached when it calls a handler,
// which is how every node learns where it starts and ends. The iterative
// parser is used, so a hostile nesting depth costs heap, not stack.
#include "model/json.h"

#include <rapidjson/error/en.h>
#include <rapidjson/reader.h>

#include <cstring>

namespace obslint::json {
namespace {

class InsituStream {
 public:
  using Ch = char;
  explicit InsituStream(char* text) : src_(text), dst_(nullptr), head_(text) {}
  Ch Peek() const { return *src_; }
  Ch Take() { return *src_++; }
  size_t Tell() const { return static_cast<size_t>(src_ - head_); }
  Ch* PutBegin() { return dst_ = src_; }
  void Put(Ch c) { *dst_++ = c; }
  size_t PutEnd(Ch* begin) { return static_cast<size_t>(dst_ - begin); }
  void Flush() {}

 private:
  char* src_;
  char* dst_;
  char* head_;
};

class Builder : public rapidjson::BaseReaderHandler<rapidjson::UTF8<>, Builder> {
 public:
  Builder(Document& doc, const InsituStream& stream, const Limits& limits)
      : doc_(doc), stream_(stream), limits_(limits) {}

  bool Null() { return Scalar(Kind::kNull, Offset() - 4, Offset()); }
  bool Bool(bool b) {
    uint32_t end = Offset();
    if (!Scalar(Kind::kBool, end - (b ? 4 : 5), end)) return false;
    doc_.nodes.back().boolean = b;
    return true;
  }
  bool RawNumber(const char*, rapidjson::SizeType length, bool) {
    // In situ, rapidjson hands over a pointer past the number: the stream has
    // already moved on. The number is the `length` bytes before the offset.
    uint32_t end = Offset();
    uint32_t begin = end - length;
    if (!Scalar(Kind::kNumber, begin, end)) return false;
    doc_.nodes.back().text = std::string_view(doc_.buffer.get() + begin, length);
    return true;
  }
  bool String(const char* str, rapidjson::SizeType length, bool) {
    uint32_t begin = static_cast<uint32_t>(str - doc_.buffer.get()) - 1;  // the opening quote
    if (!Scalar(Kind::kString, begin, Offset())) return false;
    doc_.nodes.back().text = std::string_view(str, length);
    return true;
  }
  bool Key(const char* str, rapidjson::SizeType length, bool) {
    key_ = std::string_view(str, length);
    key_begin_ = static_cast<uint32_t>(str - doc_.buffer.get()) - 1;
    key_end_ = Offset();
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
    if (!stack_.empty()) {
      Frame& parent = stack_.back();
      Node& p = doc_.nodes[parent.node];
      if (p.kind == Kind::kObject) {
        Node& child = doc_.nodes[index];
        child.key = key_;
        child.key_begin = key_begin_;
        child.key_end = key_end_;
      }
      if (parent.last_child == Node::kNone) {
        doc_.nodes[parent.node].first_child = index;
      } else {
        doc_.nodes[parent.last_child].next_sibling = index;
      }
      parent.last_child = index;
      ++doc_.nodes[parent.node].size;
    }
    return true;
  }

  bool Scalar(Kind kind, uint32_t begin, uint32_t end) { return Add(kind, begin, end); }

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
  const InsituStream& stream_;
  const Limits& limits_;
  std::vector<Frame> stack_;
  std::string_view key_;
  uint32_t key_begin_ = 0;
  uint32_t key_end_ = 0;
};

}  // namespace

const Node* Document::Get(const Node& n, std::string_view key) const {
  if (n.kind != Kind::kObject) return nullptr;
  const Node* found = nullptr;
  for (const Node& c : Children(n))
    if (c.key == key) found = &c;
  return found;
}

std::string_view Document::String(const Node& n, std::string_view key) const {
  const Node* v = Get(n, key);
  return v != nullptr && v->kind == Kind::kString ? v->text : std::string_view();
}

void Parse(std::string_view text, Document& doc, const Limits& limits) {
  doc.nodes.clear();
  doc.error = {};
  doc.buffer = std::make_unique<char[]>(text.size() + 1);
  std::memcpy(doc.buffer.get(), text.data(), text.size());
  doc.buffer[text.size()] = '\0';
  if (text.size() >= UINT32_MAX) {
    doc.error = {true, 0, "file too large"};
    return;
  }
  // A rough guess (one node per 24 bytes of a pretty-printed dashboard)
  // saves the vector most of its regrowth.
  doc.nodes.reserve(text.size() / 24 + 16);

  InsituStream stream(doc.buffer.get());
  Builder builder(doc, stream, limits);
  rapidjson::Reader reader;
  constexpr unsigned kFlags = rapidjson::kParseInsituFlag | rapidjson::kParseIterativeFlag |
                              rapidjson::kParseNumbersAsStringsFlag;
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
