// Build-time tool: embeds data files into the obslint binary.
//   embed OUT.cpp NAME=PATH[:json|:keys] ...
// A ":json" suffix converts a YAML file to compact JSON first, so the binary
// parses its knowledge with rapidjson at start-up instead of yaml-cpp.
// A ":keys" suffix compiles a key table (knowledge/keys/*.yaml) into the
// form analysis/key_blob.h describes, read in place at run time; a table
// that does not follow knowledge/keys/README.md stops the build.
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "analysis/key_blob.h"

namespace {

void JsonString(const std::string& s, std::string& out) {
  out += '"';
  for (unsigned char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\t': out += "\\t"; break;
      case '\r': out += "\\r"; break;
      default:
        if (c < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  out += '"';
}

// Plain scalars that look like numbers or booleans become JSON numbers and
// booleans; everything quoted stays a string.
void ToJson(const YAML::Node& node, std::string& out) {
  switch (node.Type()) {
    case YAML::NodeType::Null:
    case YAML::NodeType::Undefined: out += "null"; return;
    case YAML::NodeType::Scalar: {
      const std::string& v = node.Scalar();
      if (node.Tag() == "?") {
        if (v == "true" || v == "false") { out += v; return; }
        if (v == "null" || v == "~") { out += "null"; return; }
        bool numeric = !v.empty() && v.size() < 18;
        for (size_t i = 0; i < v.size() && numeric; ++i)
          numeric = (v[i] >= '0' && v[i] <= '9') || (i == 0 && v[i] == '-');
        if (numeric && v != "-") { out += v; return; }
      }
      JsonString(v, out);
      return;
    }
    case YAML::NodeType::Sequence: {
      out += '[';
      bool first = true;
      for (const auto& item : node) {
        if (!first) out += ',';
        first = false;
        ToJson(item, out);
      }
      out += ']';
      return;
    }
    case YAML::NodeType::Map: {
      out += '{';
      bool first = true;
      for (const auto& kv : node) {
        if (!first) out += ',';
        first = false;
        JsonString(kv.first.Scalar(), out);
        out += ':';
        ToJson(kv.second, out);
      }
      out += '}';
      return;
    }
  }
}

class KeyCompiler {
 public:
  std::string Compile(const YAML::Node& table) {
    namespace kb = obslint::keyblob;
    if (!table.IsMap()) throw std::runtime_error("a key table is a map");
    words_.assign(kb::kHeaderWords, 0);
    words_[kb::kHMagic] = kb::kMagic;
    words_[kb::kHProgram] = String(Scalar(table["program"], "program"));
    words_[kb::kHStrict] = Scalar(table["strict"], "strict") == "true" ? 1 : 0;
    const YAML::Node versions = table["versions"];
    if (!versions.IsSequence()) throw std::runtime_error("versions: not a list");
    std::vector<std::uint32_t> list = {static_cast<std::uint32_t>(versions.size())};
    for (const auto& v : versions) {
      const auto parsed = ParseVersion(Scalar(v, "versions"), "versions");
      list.insert(list.end(), parsed.begin(), parsed.end());
    }
    words_[kb::kHVersions] = Append(list);
    const YAML::Node types = table["types"];
    if (types && !types.IsMap()) throw std::runtime_error("types: not a map");
    for (const auto& t : types) type_nodes_[t.first.Scalar()] = t.second;
    std::vector<std::pair<std::string, std::uint32_t>> type_index;
    for (const auto& [name, node] : type_nodes_) type_index.emplace_back(name, Type(name, "types"));
    const YAML::Node roots = table["roots"];
    if (!roots.IsMap()) throw std::runtime_error("roots: not a map");
    std::vector<std::pair<std::string, std::uint32_t>> root_index;
    for (const auto& r : roots) root_index.emplace_back(r.first.Scalar(), Node(r.second, "roots/" + r.first.Scalar()));
    words_[kb::kHRoots] = Index(std::move(root_index));
    words_[kb::kHTypes] = Index(std::move(type_index));
    for (const auto& [at, name] : pending_refs_) words_[at] = types_.at(name);
    std::string out;
    out.reserve(words_.size() * 4);
    for (std::uint32_t w : words_)
      for (int i = 0; i < 4; ++i) out += static_cast<char>((w >> (8 * i)) & 0xFF);
    return out;
  }

 private:
  static std::string Scalar(const YAML::Node& n, const std::string& where) {
    if (!n || !n.IsScalar()) throw std::runtime_error(where + ": not a scalar");
    return n.Scalar();
  }

  static std::vector<std::uint32_t> ParseVersion(const std::string& text, const std::string& where = "") {
    std::vector<std::uint32_t> parts;
    std::uint32_t value = 0;
    bool digit = false;
    for (char c : text + ".") {
      if (c >= '0' && c <= '9' && value < 100000) {
        value = value * 10 + static_cast<std::uint32_t>(c - '0');
        digit = true;
      } else if (c == '.' && digit && parts.size() < 3) {
        parts.push_back(value);
        value = 0;
        digit = false;
      } else {
        parts.clear();  // not a digit, or a fourth part
        break;
      }
    }
    if (parts.size() != 3)
      throw std::runtime_error((where.empty() ? "" : where + ": ") + "\"" + text + "\" is not a release (X.Y.Z)");
    return parts;
  }

  std::uint32_t Append(const std::vector<std::uint32_t>& words) {
    const auto at = static_cast<std::uint32_t>(words_.size() * 4);
    words_.insert(words_.end(), words.begin(), words.end());
    return at;
  }

  std::uint32_t String(const std::string& s) {
    if (auto it = strings_.find(s); it != strings_.end()) return it->second;
    std::vector<std::uint32_t> words = {static_cast<std::uint32_t>(s.size())};
    for (size_t i = 0; i < s.size(); i += 4) {
      std::uint32_t w = 0;
      for (size_t j = 0; j < 4 && i + j < s.size(); ++j)
        w |= static_cast<std::uint32_t>(static_cast<unsigned char>(s[i + j])) << (8 * j);
      words.push_back(w);
    }
    const std::uint32_t at = Append(words);
    strings_.emplace(s, at);
    return at;
  }

  std::uint32_t Index(std::vector<std::pair<std::string, std::uint32_t>> entries) {
    std::sort(entries.begin(), entries.end());
    std::vector<std::uint32_t> words = {static_cast<std::uint32_t>(entries.size())};
    for (const auto& [name, node] : entries) {
      words.push_back(String(name));
      words.push_back(node);
    }
    return Append(words);
  }

  // A shared type, compiled once; a type that refers to itself (directly or
  // not) is resolved when the whole table is written.
  std::uint32_t Type(const std::string& name, const std::string& where) {
    if (auto it = types_.find(name); it != types_.end()) return it->second;
    auto node = type_nodes_.find(name);
    if (node == type_nodes_.end()) throw std::runtime_error(where + ": unknown ref \"" + name + "\"");
    if (!compiling_.insert(name).second) return 0;  // resolved later
    const std::uint32_t at = Node(node->second, "types/" + name);
    compiling_.erase(name);
    types_[name] = at;
    return at;
  }

  std::uint32_t Node(const YAML::Node& n, const std::string& where) {
    namespace kb = obslint::keyblob;
    if (!n.IsMap()) throw std::runtime_error(where + ": a node is not a map");
    std::vector<std::uint32_t> w(kb::kNodeWords, 0);
    std::string ref;
    std::vector<std::uint32_t> ranges;
    auto range = [&](const YAML::Node& since, const YAML::Node& until) {
      const std::vector<std::uint32_t> zero = {0, 0, 0};
      const auto s = since && !since.IsNull() ? ParseVersion(Scalar(since, where + " since"), where) : zero;
      ranges.insert(ranges.end(), s.begin(), s.end());
      const bool has_until = until && !until.IsNull();
      ranges.push_back(has_until ? 1 : 0);
      const auto u = has_until ? ParseVersion(Scalar(until, where + " until"), where) : zero;
      ranges.insert(ranges.end(), u.begin(), u.end());
    };
    for (const auto& field : n) {
      const std::string key = field.first.Scalar();
      const YAML::Node& x = field.second;
      if (key == "type") {
        auto bit = [&](const std::string& name) {
          for (const auto& t : kb::kTypeNames)
            if (name == t.name) return t.bit;
          throw std::runtime_error(where + ": unknown type \"" + name + "\"");
        };
        if (x.IsSequence()) {
          for (const auto& t : x) w[kb::kNTypes] |= bit(Scalar(t, where + " type"));
        } else {
          w[kb::kNTypes] |= bit(Scalar(x, where + " type"));
        }
      } else if (key == "keys" || key == "pattern_keys") {
        if (!x.IsMap()) throw std::runtime_error(where + " " + key + ": not a map");
        std::vector<std::pair<std::string, std::uint32_t>> entries;
        for (const auto& k : x) {
          const std::string name = k.first.Scalar();
          entries.emplace_back(name, Node(k.second, where + "." + name));
        }
        if (key == "keys") {
          w[kb::kNKeys] = Index(std::move(entries));
        } else {
          std::vector<std::uint32_t> list = {static_cast<std::uint32_t>(entries.size())};
          for (const auto& [pattern, node] : entries) {
            list.push_back(String(pattern));
            list.push_back(node);
          }
          w[kb::kNPatterns] = Append(list);
        }
      } else if (key == "values") {
        w[kb::kNValues] = Node(x, where + ".*");
      } else if (key == "items") {
        w[kb::kNItems] = Node(x, where + "[]");
      } else if (key == "open") {
        if (Scalar(x, where + " open") == "true") w[kb::kNFlags] |= kb::kOpen;
      } else if (key == "enum") {
        if (!x.IsSequence()) throw std::runtime_error(where + " enum: not a list");
        std::vector<std::uint32_t> list = {static_cast<std::uint32_t>(x.size())};
        for (const auto& e : x) list.push_back(String(Scalar(e, where + " enum")));
        w[kb::kNEnum] = Append(list);
      } else if (key == "ref") {
        ref = Scalar(x, where + " ref");
      } else if (key == "note") {
        w[kb::kNNote] = String(Scalar(x, where + " note"));
      } else if (key == "ranges") {
        if (!x.IsSequence()) throw std::runtime_error(where + " ranges: not a list");
        for (const auto& r : x) {
          if (!r.IsSequence() || r.size() != 2) throw std::runtime_error(where + " ranges: not [since, until]");
          range(r[0], r[1]);
        }
      } else if (key != "since" && key != "until" && key != "deprecated") {
        throw std::runtime_error(where + ": unknown field \"" + key + "\"");
      }
    }
    if (ranges.empty() && (n["since"] || n["until"])) range(n["since"], n["until"]);
    if (!ref.empty()) {
      w[kb::kNRef] = Type(ref, where);
    }
    w[kb::kNRangeCount] = static_cast<std::uint32_t>(ranges.size() / kb::kRangeWords);
    w.insert(w.end(), ranges.begin(), ranges.end());
    const std::uint32_t at = Append(w);
    if (!ref.empty() && words_[at / 4 + kb::kNRef] == 0) pending_refs_.emplace_back(at / 4 + kb::kNRef, ref);
    return at;
  }

  std::vector<std::uint32_t> words_;
  std::map<std::string, std::uint32_t> strings_;
  std::map<std::string, YAML::Node> type_nodes_;
  std::map<std::string, std::uint32_t> types_;
  std::set<std::string> compiling_;
  std::vector<std::pair<std::size_t, std::string>> pending_refs_;
};

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "usage: embed OUT.cpp NAME=PATH[:json]...\n";
    return 2;
  }
  std::ostringstream gen;
  gen << "// Generated by tools/embed.cpp. Do not edit.\n#include \"embed/embedded.h\"\n"
         "namespace obslint::embedded {\nnamespace {\n";
  std::vector<std::string> names;
  for (int i = 2; i < argc; ++i) {
    std::string arg = argv[i];
    auto eq = arg.find('=');
    if (eq == std::string::npos) {
      std::cerr << "embed: bad argument " << arg << "\n";
      return 2;
    }
    std::string name = arg.substr(0, eq);
    std::string path = arg.substr(eq + 1);
    bool json = false, keys = false;
    if (path.size() > 5 && path.compare(path.size() - 5, 5, ":json") == 0) {
      json = true;
      path.resize(path.size() - 5);
    } else if (path.size() > 5 && path.compare(path.size() - 5, 5, ":keys") == 0) {
      keys = true;
      path.resize(path.size() - 5);
    }
    std::ifstream in(path, std::ios::binary);
    if (!in) {
      std::cerr << "embed: cannot read " << path << "\n";
      return 1;
    }
    std::string content((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    try {
      if (json) {
        std::string out;
        ToJson(YAML::Load(content), out);
        content = out;
      } else if (keys) {
        content = KeyCompiler().Compile(YAML::Load(content));
      }
    } catch (const YAML::Exception& e) {
      std::cerr << path << ":" << e.mark.line + 1 << ":" << e.mark.column + 1 << ": " << e.msg << "\n";
      return 1;
    } catch (const std::exception& e) {
      std::cerr << path << ": " << e.what() << "\n";
      return 1;
    }
    gen << "alignas(8) const char kData" << names.size() << "[] = {";
    for (size_t j = 0; j < content.size(); ++j) {
      if (j % 24 == 0) gen << "\n";
      gen << static_cast<int>(static_cast<signed char>(content[j])) << ',';
    }
    gen << "0};\nconstexpr std::size_t kSize" << names.size() << " = " << content.size() << ";\n";
    names.push_back(name);
  }
  gen << "}  // namespace\nconst File kFiles[] = {\n";
  for (size_t i = 0; i < names.size(); ++i)
    gen << "  {\"" << names[i] << "\", std::string_view(kData" << i << ", kSize" << i << ")},\n";
  gen << "};\nconst std::size_t kFileCount = " << names.size() << ";\n}  // namespace obslint::embedded\n";
  std::ofstream out(argv[1], std::ios::binary);
  out << gen.str();
  return out ? 0 : 1;
}
