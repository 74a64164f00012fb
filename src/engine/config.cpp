#include "engine/config.h"

#include <fmt/format.h>
#include <rapidjson/document.h>
#include <rapidjson/pointer.h>
#include <rapidjson/schema.h>
#include <rapidjson/stringbuffer.h>
#include <re2/re2.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "discover/discover.h"
#include "embed/embedded.h"
#include "engine/registry.h"
#include "parse/yaml.h"

namespace obslint {
namespace {

namespace fs = std::filesystem;
using rapidjson::Value;

constexpr std::string_view kSchemaName = "schemas/obslint-config.schema.json";

// Where each JSON value came from: pointer ("/policy/analytics") -> nodes.
struct Origin {
  const yaml::Node* value = nullptr;
  const yaml::Node* key = nullptr;  // nullptr for list items and the root
  std::string dotted;                // "policy.analytics" for messages
};

bool IsYamlNull(const yaml::Node* n) {
  if (n == nullptr || n->IsNull()) return true;
  if (!n->IsScalar() || n->quoted) return false;
  return n->scalar == "~" || n->scalar == "null" || n->scalar == "Null" || n->scalar == "NULL";
}

bool IsYamlBool(const yaml::Node* n, bool& value) {
  if (!n->IsScalar() || n->quoted) return false;
  static const char* kTrue[] = {"true", "True", "TRUE"};
  static const char* kFalse[] = {"false", "False", "FALSE"};
  for (const char* t : kTrue)
    if (n->scalar == t) return value = true, true;
  for (const char* f : kFalse)
    if (n->scalar == f) return value = false, true;
  return false;
}

bool IsYamlInt(const yaml::Node* n, int64_t& value) {
  if (!n->IsScalar() || n->quoted || n->scalar.empty() || n->scalar.size() > 18) return false;
  size_t i = (n->scalar[0] == '-' || n->scalar[0] == '+') ? 1 : 0;
  if (i == n->scalar.size()) return false;
  for (size_t j = i; j < n->scalar.size(); ++j)
    if (n->scalar[j] < '0' || n->scalar[j] > '9') return false;
  value = std::stoll(n->scalar);
  return true;
}

std::string EscapeToken(std::string_view token) {
  std::string out;
  for (char c : token) {
    if (c == '~') out += "~0";
    else if (c == '/') out += "~1";
    else out += c;
  }
  return out;
}

class Converter {
 public:
  Converter(rapidjson::Document::AllocatorType& alloc, std::map<std::string, Origin>& origins)
      : alloc_(alloc), origins_(origins) {}

  void Convert(const yaml::Node* n, Value& out, const std::string& pointer, const std::string& dotted,
               const yaml::Node* key, int depth) {
    origins_[pointer] = Origin{n, key, dotted};
    if (depth > 64) {
      out.SetNull();
      return;
    }
    bool b = false;
    int64_t i = 0;
    if (IsYamlNull(n)) {
      out.SetNull();
    } else if (n->IsMap()) {
      out.SetObject();
      for (const auto& [k, v] : n->entries) {
        std::string name = k->IsScalar() ? k->scalar : "?";
        Value child;
        std::string dot = dotted.empty() ? name : dotted + "." + name;
        Convert(v, child, pointer + "/" + EscapeToken(name), dot, k, depth + 1);
        Value key_value(name.c_str(), static_cast<rapidjson::SizeType>(name.size()), alloc_);
        out.AddMember(key_value, child, alloc_);
      }
    } else if (n->IsSequence()) {
      out.SetArray();
      for (size_t idx = 0; idx < n->items.size(); ++idx) {
        Value child;
        Convert(n->items[idx], child, fmt::format("{}/{}", pointer, idx),
                fmt::format("{}[{}]", dotted, idx), nullptr, depth + 1);
        out.PushBack(child, alloc_);
      }
    } else if (IsYamlBool(n, b)) {
      out.SetBool(b);
    } else if (IsYamlInt(n, i)) {
      out.SetInt64(i);
    } else {
      out.SetString(n->scalar.c_str(), static_cast<rapidjson::SizeType>(n->scalar.size()), alloc_);
    }
  }

 private:
  rapidjson::Document::AllocatorType& alloc_;
  std::map<std::string, Origin>& origins_;
};

std::string PointerString(const rapidjson::Pointer& p) {
  rapidjson::StringBuffer sb;
  p.Stringify(sb);
  return sb.GetString();
}

std::string KindOf(const Value& v) {
  if (v.IsNull()) return "empty";
  if (v.IsBool()) return "a boolean";
  if (v.IsNumber()) return "a number";
  if (v.IsString()) return "a string";
  if (v.IsArray()) return "a list";
  return "a mapping";
}

std::string TypeName(std::string_view t) {
  if (t == "object") return "a mapping";
  if (t == "array") return "a list";
  if (t == "string") return "a string";
  if (t == "boolean") return "true or false";
  if (t == "integer") return "an integer";
  if (t == "number") return "a number";
  return std::string(t);
}

std::string JoinStrings(const Value& arr, std::string_view quote = "") {
  std::string out;
  if (!arr.IsArray()) return out;
  for (const auto& v : arr.GetArray()) {
    if (!v.IsString()) continue;
    if (!out.empty()) out += ", ";
    out += fmt::format("{}{}{}", quote, v.GetString(), quote);
  }
  return out;
}

const rapidjson::Document& SchemaJson() {
  static const rapidjson::Document doc = [] {
    rapidjson::Document d;
    std::string_view text = embedded::Get(kSchemaName);
    std::string owned(text);
#ifdef OBSLINT_SOURCE_DIR
    if (owned.empty()) {
      std::ifstream in(std::string(OBSLINT_SOURCE_DIR) + "/" + std::string(kSchemaName));
      std::stringstream ss;
      ss << in.rdbuf();
      owned = ss.str();
    }
#endif
    d.Parse(owned.c_str());
    if (d.HasParseError()) d.SetObject();
    return d;
  }();
  return doc;
}

const rapidjson::SchemaDocument& Schema() {
  static const rapidjson::SchemaDocument schema(SchemaJson());
  return schema;
}

class Validator {
 public:
  Validator(const std::string& path, const SourceFile& file, Config& out)
      : path_(path), file_(file), out_(out) {}

  void Error(const yaml::Node* at, std::string message, std::string help = {}) {
    Location loc = at ? yaml::LocationOf(at, path_) : Location{path_, 0, 0};
    for (size_t i = 0; i < reported_; ++i)
      if (out_.errors[i].loc.line == loc.line && out_.errors[i].loc.column == loc.column) return;
    Finding f;
    f.code = "OBS002";
    f.name = "invalid-obslint-config";
    f.severity = Severity::kError;
    f.loc = at ? yaml::LocationOf(at, path_) : Location{path_, 0, 0};
    f.message = std::move(message);
    f.help = help.empty() ? "see docs/configuration.md; editors validate the file with "
                            "schemas/obslint-config.schema.json"
                          : std::move(help);
    out_.errors.push_back(std::move(f));
  }

  void Run() {
    const yaml::Document& ydoc = file_.yaml;
    for (const yaml::Issue& issue : ydoc.issues) {
      Finding f;
      f.code = "OBS002";
      f.name = "invalid-obslint-config";
      f.severity = Severity::kError;
      f.loc = Location{path_, issue.line, issue.column};
      f.message = issue.type == yaml::Issue::Type::kDuplicateKey
                      ? fmt::format("{} (the first is at line {})", issue.message, issue.other_line)
                      : issue.message;
      f.help = "fix the YAML; obslint reads nothing from a broken config";
      out_.errors.push_back(std::move(f));
    }
    if (!ydoc.issues.empty() || ydoc.root == nullptr || IsYamlNull(ydoc.root)) return;

    rapidjson::Document doc;
    Converter(doc.GetAllocator(), origins_).Convert(ydoc.root, doc, "", "", nullptr, 0);
    // rapidjson stops at the first error: report it, repair the value with
    // one the schema accepts, and validate again, so one run lists every problem.
    for (int round = 0; round < 64; ++round) {
      rapidjson::SchemaValidator validator(Schema());
      if (doc.Accept(validator)) break;
      if (!ReportSchemaError(doc, validator)) break;
    }
    reported_ = out_.errors.size();
    Semantics();
  }

 private:
  const Origin& OriginOf(const std::string& pointer) {
    static const Origin kNone;
    auto it = origins_.find(pointer);
    return it == origins_.end() ? kNone : it->second;
  }

  static std::string Name(const Origin& o) {
    return o.dotted.empty() ? std::string("the configuration") : fmt::format("`{}`", o.dotted);
  }

  // A value that satisfies `schema`, put in place of an invalid one so that
  // validation can go on to the next problem without cascading errors.
  static void Synthesize(const Value* schema, Value& out, rapidjson::Document::AllocatorType& alloc) {
    if (schema && schema->IsObject() && schema->HasMember("$ref")) {
      std::string ref = (*schema)["$ref"].GetString();
      if (ref.starts_with("#")) schema = rapidjson::Pointer(ref.substr(1).c_str()).Get(SchemaJson());
    }
    if (schema == nullptr || !schema->IsObject()) {
      out.SetNull();
      return;
    }
    if (schema->HasMember("enum") && (*schema)["enum"].IsArray() && !(*schema)["enum"].Empty()) {
      out.CopyFrom((*schema)["enum"][0], alloc);
      return;
    }
    std::string type = schema->HasMember("type") && (*schema)["type"].IsString()
                           ? (*schema)["type"].GetString() : "";
    if (type == "boolean") out.SetBool(false);
    else if (type == "array") out.SetArray();
    else if (type == "object") out.SetObject();
    else if (type == "integer" || type == "number") out.SetInt(0);
    else if (schema->HasMember("pattern")) out.SetString("ALL");
    else out.SetString("x");
  }

  // Reports the first schema error and repairs the document at that spot.
  // Returns false when it cannot repair (validation stops).
  bool ReportSchemaError(rapidjson::Document& doc, const rapidjson::SchemaValidator& v) {
    std::string doc_ptr = PointerString(v.GetInvalidDocumentPointer());
    std::string keyword = v.GetInvalidSchemaKeyword();
    const Value* schema = v.GetInvalidSchemaPointer().Get(SchemaJson());
    Value* value = rapidjson::Pointer(doc_ptr.c_str()).Get(doc);
    const Origin& at = OriginOf(doc_ptr);
    const yaml::Node* node = at.value ? at.value : at.key;
    if (node == nullptr) node = file_.yaml.root;
    auto& alloc = doc.GetAllocator();
    auto replace = [&]() {
      if (value == nullptr) return false;
      Value repl;
      Synthesize(schema, repl, alloc);
      if (*value == repl) return false;  // would loop
      value->Swap(repl);
      return true;
    };

    if (keyword == "additionalProperties" && schema) {
      const Value* props = schema->HasMember("properties") ? &(*schema)["properties"] : nullptr;
      std::string expected;
      if (props) {
        for (const auto& p : props->GetObject()) {
          if (!expected.empty()) expected += ", ";
          expected += p.name.GetString();
        }
      }
      auto unknown = [&](const std::string& key, const std::string& parent_ptr) {
        const Origin& parent = OriginOf(parent_ptr);
        const Origin& k = OriginOf(parent_ptr + "/" + EscapeToken(key));
        std::string where =
            parent.dotted.empty() ? "at the top level" : fmt::format("in `{}`", parent.dotted);
        Error(k.key ? k.key : node, fmt::format("unknown key \"{}\" {}", key, where),
              expected.empty() ? std::string() : fmt::format("expected one of: {}", expected));
        Value* obj = parent_ptr.empty() ? &doc : rapidjson::Pointer(parent_ptr.c_str()).Get(doc);
        return obj && obj->IsObject() && obj->EraseMember(key.c_str());
      };
      if (value && value->IsObject()) {
        // The pointer names the object: find the first key the schema does not know.
        for (const auto& m : value->GetObject()) {
          std::string key = m.name.GetString();
          if (!props || !props->HasMember(key.c_str())) return unknown(key, doc_ptr);
        }
      }
      // The pointer names the unknown member itself.
      size_t slash = doc_ptr.rfind('/');
      if (slash != std::string::npos && at.key) return unknown(at.key->scalar, doc_ptr.substr(0, slash));
    }
    if (keyword == "required" && schema && schema->HasMember("required") && value && value->IsObject()) {
      for (const auto& r : (*schema)["required"].GetArray()) {
        if (!r.IsString() || value->HasMember(r.GetString())) continue;
        Error(at.key ? at.key : node,
              fmt::format("{} is missing the required key \"{}\"", Name(at), r.GetString()));
        const Value* props = schema->HasMember("properties") ? &(*schema)["properties"] : nullptr;
        const Value* sub = props && props->HasMember(r.GetString()) ? &(*props)[r.GetString()] : nullptr;
        Value repl;
        Synthesize(sub, repl, alloc);
        value->AddMember(Value(r.GetString(), alloc), repl, alloc);
        return true;
      }
    }
    if (keyword == "type" && schema && schema->HasMember("type") && value) {
      const Value& t = (*schema)["type"];
      std::string expected = t.IsString() ? TypeName(t.GetString()) : "another type";
      Error(node, fmt::format("{} must be {}, not {}", Name(at), expected, KindOf(*value)));
      return replace();
    }
    if (keyword == "enum" && schema && schema->HasMember("enum")) {
      std::string got = value && value->IsString() ? fmt::format("\"{}\"", value->GetString())
                                                   : (value ? KindOf(*value) : "");
      Error(node, fmt::format("{} is {}; expected one of: {}", Name(at), got,
                              JoinStrings((*schema)["enum"])));
      return replace();
    }
    if (keyword == "pattern" && value && value->IsString() &&
        doc_ptr.find("/profiles/") != std::string::npos) {
      Error(node, fmt::format("{} is \"{}\", which is not a Compose profile name (letters, digits, "
                              "and `_ . -` after the first character)",
                              Name(at), value->GetString()));
      return replace();
    }
    if (keyword == "pattern" && value && value->IsString()) {
      Error(node, fmt::format("{} is \"{}\", which is not a rule code (OBS806), code prefix (OBS8), "
                              "rule name or ALL",
                              Name(at), value->GetString()));
      return replace();
    }
    if (keyword == "uniqueItems" && value) {
      Error(node, fmt::format("{} lists an item twice", Name(at)));
      value->SetArray();
      return true;
    }
    if (keyword == "minLength") {
      Error(node, fmt::format("{} must not be empty", Name(at)));
      return replace();
    }
    if (keyword == "minProperties") {
      Error(node, fmt::format("{} must name at least one profile (web, product)", Name(at)));
      return false;
    }
    Error(node, fmt::format("{} does not match the schema (keyword \"{}\")", Name(at), keyword));
    return false;
  }

  // Checks the schema cannot express: rule codes exist, patterns compile.
  void Semantics() {
    const yaml::Node* root = file_.yaml.root;
    auto each = [](const yaml::Node* seq, auto fn) {
      if (seq && seq->IsSequence())
        for (const yaml::Node* item : seq->items)
          if (item->IsScalar()) fn(item);
    };
    const yaml::Node* rules = root->Get("rules");
    if (rules && rules->IsMap()) {
      for (const char* list : {"select", "ignore"}) {
        each(rules->Get(list), [&](const yaml::Node* item) {
          const std::string& code = item->scalar;
          bool known = code == "ALL" || code == "all";
          for (const Rule& r : AllRules())
            if (r.code.starts_with(code) || r.name == code) known = true;
          if (!known)
            Error(item, fmt::format("`rules.{}` names unknown rule \"{}\"", list, code),
                  "use a code, prefix or name from `obslint --list-rules`");
          else (std::string_view(list) == "select" ? out_.select : out_.ignore).push_back(code);
        });
      }
      if (const yaml::Node* sev = rules->Get("severity"); sev && sev->IsMap()) {
        for (const auto& [k, v] : sev->entries) {
          const Rule* r = FindRule(k->scalar);
          if (r == nullptr || r->code != k->scalar) {
            Error(k, fmt::format("`rules.severity` names unknown rule \"{}\"", k->scalar),
                  "use a code from `obslint --list-rules`");
            continue;
          }
          Severity s;
          if (ParseSeverity(v->scalar, s)) out_.severity[std::string(r->code)] = s;
        }
      }
    }
    auto regex_ok = [&](const yaml::Node* item, std::string_view what) {
      re2::RE2 re(item->scalar, re2::RE2::Quiet);
      if (re.ok()) return true;
      Error(item, fmt::format("{} \"{}\" is not a valid RE2 pattern: {}", what, item->scalar, re.error()),
            "RE2 syntax: https://github.com/google/re2/wiki/Syntax (no lookaround, no backreferences)");
      return false;
    };
    if (const yaml::Node* paths = root->Get("paths"); paths && paths->IsMap()) {
      each(paths->Get("exclude"), [&](const yaml::Node* item) {
        if (regex_ok(item, "`paths.exclude` pattern")) out_.exclude.push_back(item->scalar);
      });
    }
    const yaml::Node* policy = root->Get("policy");
    if (policy == nullptr || !policy->IsMap()) return;
    Policy& p = out_.policy;
    p.config_path = path_;
    if (const yaml::Node* a = policy->Get("analytics"); a && a->IsMap()) {
      AnalyticsPolicy& ap = p.analytics;
      ap.declared = true;
      ap.loc = yaml::LocationOf(policy->KeyNode("analytics"), path_);
      if (const yaml::Node* e = a->Get("enabled")) ap.enabled = e->IsTrue();
      each(a->Get("types"), [&](const yaml::Node* t) { ap.types.push_back(t->scalar); });
      if (const yaml::Node* pr = a->Get("provider"); pr && pr->IsScalar()) ap.provider = pr->scalar;
      if (const yaml::Node* h = a->Get("hosting"); h && h->IsScalar()) ap.hosting = h->scalar;
      if (const yaml::Node* profiles = a->Get("profiles"); profiles && profiles->IsMap()) {
        for (auto [type, field] : {std::pair{"web", &ap.web_profile}, std::pair{"product", &ap.product_profile}})
          if (const yaml::Node* v = profiles->Get(type); v && v->IsScalar())
            *field = Located<std::string>(v->scalar, yaml::LocationOf(v, path_));
      }
    }
    each(policy->Get("require"), [&](const yaml::Node* item) {
      if (regex_ok(item, "`policy.require` pattern"))
        p.require.emplace_back(item->scalar, yaml::LocationOf(item, path_));
    });
    each(policy->Get("forbid"), [&](const yaml::Node* item) {
      if (regex_ok(item, "`policy.forbid` pattern"))
        p.forbid.emplace_back(item->scalar, yaml::LocationOf(item, path_));
    });
  }

  std::string path_;
  const SourceFile& file_;
  Config& out_;
  std::map<std::string, Origin> origins_;
  size_t reported_ = 0;  // errors of the schema pass (semantic checks do not repeat them)
};

}  // namespace

std::string FindConfig(const std::string& start) {
  std::error_code ec;
  fs::path dir = fs::absolute(start, ec);
  if (ec) return {};
  if (!fs::is_directory(dir, ec)) dir = dir.parent_path();
  dir = dir.lexically_normal();
  for (int guard = 0; guard < 64 && !dir.empty(); ++guard) {
    fs::path candidate = dir / kConfigFileName;
    if (fs::is_regular_file(candidate, ec)) return candidate.string();
    if (fs::exists(dir / ".git", ec)) break;  // do not leave the repository
    fs::path parent = dir.parent_path();
    if (parent == dir) break;
    dir = parent;
  }
  return {};
}

void ParseConfig(std::string_view text, const std::string& display_path, Config& out) {
  out.path = display_path;
  out.source = std::make_shared<SourceFile>();
  SourceFile& file = *out.source;
  file.path = display_path;
  file.abs_path = out.abs_path;
  file.content = std::string(text);
  file.kind = FileKind::kOther;
  file.IndexLines();
  yaml::Parse(file.content, file.yaml);
  Validator(display_path, file, out).Run();
  SortFindings(out.errors);
  if (!out.errors.empty()) {
    // A broken config selects and changes nothing.
    Policy empty;
    out.policy = empty;
    out.select.clear();
    out.ignore.clear();
    out.severity.clear();
    out.exclude.clear();
  }
}

bool LoadConfig(const std::string& path, Config& out, std::string& error) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    error = fmt::format("cannot read {}: {}", path, std::strerror(errno));
    return false;
  }
  std::stringstream ss;
  ss << in.rdbuf();
  std::error_code ec;
  out.abs_path = fs::weakly_canonical(fs::absolute(path, ec), ec).string();
  ParseConfig(ss.str(), DisplayPath(out.abs_path), out);
  return true;
}

}  // namespace obslint
