// Loads knowledge/*.yaml (embedded as compact JSON) into plain structs.
//
// Everything is parsed once into structs at start-up; per-image version
// ranges are kept as "overlays" (a partial ImageInfo plus a mask of the
// fields it sets) so that a lookup only copies and merges, never re-parses.
#include "knowledge/knowledge.h"

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>

#include <algorithm>
#include <cctype>
#include <climits>
#include <cstdint>
#include <map>
#include <tuple>
#include <mutex>
#include <stdexcept>
#include <string>
#include <utility>

#include "embed/embedded.h"
#include "model/text.h"

namespace obslint {

// ---------------------------------------------------------------------------
// Version
// ---------------------------------------------------------------------------

namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsAlnum(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; }

// Reads a run of digits at `pos`, saturating instead of overflowing: tags
// such as "20240406" must not turn into undefined behaviour.
int ReadNumber(std::string_view text, std::size_t& pos) {
  long long value = 0;
  while (pos < text.size() && IsDigit(text[pos])) {
    value = std::min<long long>(value * 10 + (text[pos] - '0'), INT_MAX);
    ++pos;
  }
  return static_cast<int>(value);
}

// A number may start a version only at a word start ("15-alpine",
// "postgresql-v2.10.1", "v1.96.0"), so that hashes such as "main-d528a28"
// do not produce a bogus version 528.
bool StartsVersion(std::string_view text, std::size_t i) {
  if (!IsDigit(text[i])) return false;
  if (i == 0 || !IsAlnum(text[i - 1])) return true;
  const char prev = text[i - 1];
  return (prev == 'v' || prev == 'V') && (i == 1 || !IsAlnum(text[i - 2]));
}

}  // namespace

Version Version::Parse(std::string_view text) {
  Version v;
  // Digests ("sha256:...") and anything with ':' or '@' are not tags.
  if (text.find(':') != std::string_view::npos || text.find('@') != std::string_view::npos)
    return v;
  std::size_t pos = 0;
  while (pos < text.size() && !StartsVersion(text, pos)) ++pos;
  if (pos >= text.size()) return v;
  v.major = ReadNumber(text, pos);
  int* const rest[] = {&v.minor, &v.patch};
  for (int* part : rest) {
    if (pos + 1 < text.size() && text[pos] == '.' && IsDigit(text[pos + 1])) {
      ++pos;
      *part = ReadNumber(text, pos);
    } else {
      break;
    }
  }
  v.known = true;
  return v;
}

std::string Version::ToString() const {
  return std::to_string(major) + "." + std::to_string(minor) + "." + std::to_string(patch);
}

bool operator<(const Version& a, const Version& b) {
  if (a.major != b.major) return a.major < b.major;
  if (a.minor != b.minor) return a.minor < b.minor;
  return a.patch < b.patch;
}

bool operator==(const Version& a, const Version& b) {
  return a.major == b.major && a.minor == b.minor && a.patch == b.patch;
}

// ---------------------------------------------------------------------------
// Image references
// ---------------------------------------------------------------------------

ImageReference ParseImageReference(std::string_view reference) {
  while (!reference.empty() && std::isspace(static_cast<unsigned char>(reference.front())))
    reference.remove_prefix(1);
  while (!reference.empty() && std::isspace(static_cast<unsigned char>(reference.back())))
    reference.remove_suffix(1);

  ImageReference ref;
  if (const auto at = reference.find('@'); at != std::string_view::npos) {
    ref.digest = std::string(reference.substr(at + 1));
    reference = reference.substr(0, at);
  }
  // A ':' before the last '/' belongs to a registry host ("localhost:5000/x").
  const auto slash = reference.rfind('/');
  const auto colon = reference.rfind(':');
  if (colon != std::string_view::npos && (slash == std::string_view::npos || colon > slash)) {
    ref.tag = std::string(reference.substr(colon + 1));
    reference = reference.substr(0, colon);
  }

  std::string repo = Lower(reference);
  // All of these name Docker Hub; "library/" is its namespace for official images.
  static constexpr std::string_view kHubPrefixes[] = {"docker.io/", "index.docker.io/",
                                                      "registry-1.docker.io/",
                                                      "registry.hub.docker.com/", "mirror.gcr.io/"};
  for (std::string_view prefix : kHubPrefixes) {
    if (repo.compare(0, prefix.size(), prefix) == 0) {
      repo.erase(0, prefix.size());
      break;
    }
  }
  static constexpr std::string_view kLibrary = "library/";
  if (repo.compare(0, kLibrary.size(), kLibrary) == 0) repo.erase(0, kLibrary.size());
  ref.repository = std::move(repo);
  return ref;
}

// ---------------------------------------------------------------------------
// Components
// ---------------------------------------------------------------------------

std::string_view ComponentKindName(ComponentKind kind) {
  switch (kind) {
    case ComponentKind::kReceiver:
      return "receiver";
    case ComponentKind::kProcessor:
      return "processor";
    case ComponentKind::kExporter:
      return "exporter";
    case ComponentKind::kExtension:
      return "extension";
    case ComponentKind::kConnector:
      return "connector";
  }
  return "unknown";
}

std::optional<ComponentKind> ParseComponentKind(std::string_view name) {
  static constexpr ComponentKind kAll[] = {ComponentKind::kReceiver, ComponentKind::kProcessor,
                                           ComponentKind::kExporter, ComponentKind::kExtension,
                                           ComponentKind::kConnector};
  for (ComponentKind kind : kAll)
    if (ComponentKindName(kind) == name) return kind;
  return std::nullopt;
}

bool ComponentInfo::InDistribution(std::string_view distribution) const {
  return std::find(distributions.begin(), distributions.end(), distribution) != distributions.end();
}

std::optional<bool> ComponentInfo::ShippedIn(std::string_view distribution,
                                             const Version& version) const {
  if (shipped.empty()) return std::nullopt;
  auto it = shipped.find(distribution);
  if (it == shipped.end()) return false;
  for (const Range& r : it->second)
    if (r.since <= version && (!r.until || version < *r.until)) return true;
  return false;
}

bool ComponentInfo::AvailableAt(const Version& version) const {
  return added <= version && (!removed || version < *removed);
}

bool ComponentInfo::DeprecatedAt(const Version& version) const {
  return deprecated && *deprecated <= version && AvailableAt(version);
}

const RemovedSetting* ComponentInfo::RemovedSettingAt(std::string_view key,
                                                      const Version& version) const {
  for (const RemovedSetting& setting : removed_settings) {
    if (version < setting.removed) continue;
    // "labels" also covers "labels.attributes".
    if (key == setting.key ||
        (key.size() > setting.key.size() && key.compare(0, setting.key.size(), setting.key) == 0 &&
         key[setting.key.size()] == '.'))
      return &setting;
  }
  return nullptr;
}

// ---------------------------------------------------------------------------
// JSON helpers
// ---------------------------------------------------------------------------

namespace {

using rapidjson::Value;

const Value* Member(const Value& obj, const char* key) {
  if (!obj.IsObject()) return nullptr;
  const auto it = obj.FindMember(key);
  if (it == obj.MemberEnd() || it->value.IsNull()) return nullptr;
  return &it->value;
}

// Scalars as text: YAML plain scalars such as `15` arrive as numbers.
std::string ScalarText(const Value& v) {
  if (v.IsString()) return std::string(v.GetString(), v.GetStringLength());
  if (v.IsInt64()) return std::to_string(v.GetInt64());
  if (v.IsUint64()) return std::to_string(v.GetUint64());
  if (v.IsDouble()) return std::to_string(v.GetDouble());
  if (v.IsBool()) return v.GetBool() ? "true" : "false";
  return {};
}

// A citation field: one URL, or a list of them joined by spaces.
std::string SourceText(const Value& v) {
  if (!v.IsArray()) return ScalarText(v);
  std::string out;
  for (const Value& item : v.GetArray()) {
    if (!out.empty()) out += ' ';
    out += ScalarText(item);
  }
  return out;
}

std::string Str(const Value& obj, const char* key) {
  const Value* v = Member(obj, key);
  return v ? ScalarText(*v) : std::string();
}

bool Bool(const Value& obj, const char* key, bool fallback) {
  const Value* v = Member(obj, key);
  if (!v) return fallback;
  if (v->IsBool()) return v->GetBool();
  if (v->IsString()) return std::string_view(v->GetString()) == "true";
  return fallback;
}

// A list of scalars; a lone scalar counts as a one-element list.
std::vector<std::string> AsStrList(const Value& v) {
  std::vector<std::string> out;
  if (v.IsNull()) return out;
  if (!v.IsArray()) {
    out.push_back(ScalarText(v));
    return out;
  }
  out.reserve(v.Size());
  for (const Value& item : v.GetArray()) out.push_back(ScalarText(item));
  return out;
}

std::vector<std::string> StrList(const Value& obj, const char* key) {
  const Value* v = Member(obj, key);
  return v ? AsStrList(*v) : std::vector<std::string>();
}

Version Ver(const Value& obj, const char* key) {
  const Value* v = Member(obj, key);
  return v ? Version::Parse(ScalarText(*v)) : Version{};
}

std::optional<Version> OptVer(const Value& obj, const char* key) {
  const Value* v = Member(obj, key);
  if (!v) return std::nullopt;
  return Version::Parse(ScalarText(*v));
}

// Calls `fn` for every object in array `key`, flattening nested arrays: a
// YAML alias to a list (`- *base_ports`) arrives as a list inside the list.
template <typename Fn>
void ForEachObject(const Value& obj, const char* key, Fn&& fn) {
  const Value* v = Member(obj, key);
  if (!v || !v->IsArray()) return;
  for (const Value& item : v->GetArray()) {
    if (item.IsArray()) {
      for (const Value& inner : item.GetArray())
        if (inner.IsObject()) fn(inner);
    } else if (item.IsObject()) {
      fn(item);
    }
  }
}

// Key of an object member, for single-pass dispatch over an object's members
// (cheaper than one FindMember per known key).
std::string_view Key(rapidjson::Value::ConstMemberIterator::Reference m) {
  return {m.name.GetString(), m.name.GetStringLength()};
}

bool AsBool(const Value& v, bool fallback) {
  if (v.IsBool()) return v.GetBool();
  if (v.IsString()) return std::string_view(v.GetString()) == "true";
  return fallback;
}

std::vector<PortSpec> Ports(const Value& obj, const char* field = "ports") {
  std::vector<PortSpec> ports;
  ForEachObject(obj, field, [&](const Value& p) {
    PortSpec spec;
    for (const auto& m : p.GetObject()) {
      const std::string_view key = Key(m);
      if (key == "port") {
        spec.port = m.value.IsInt() ? m.value.GetInt() : Version::Parse(ScalarText(m.value)).major;
      } else if (key == "protocol") {
        spec.protocol = ScalarText(m.value);
      } else if (key == "name") {
        spec.name = ScalarText(m.value);
      } else if (key == "enabled_by_env") {
        spec.enabled_by_env = ScalarText(m.value);
      } else if (key == "enabled_by_env_default") {
        spec.enabled_by_env_default = AsBool(m.value, true);
      } else if (key == "enabled_when_set") {
        spec.enabled_when_set = AsBool(m.value, false);
      } else if (key == "enabled_by_flag") {
        spec.enabled_by_flag = ScalarText(m.value);
      } else if (key == "override_env") {
        spec.override_env = ScalarText(m.value);
      } else if (key == "override_flag") {
        spec.override_flag = ScalarText(m.value);
      } else if (key == "override_config") {
        spec.override_config = ScalarText(m.value);
      } else if (key == "local_by_default") {
        spec.local_by_default = AsBool(m.value, false);
      } else if (key == "bind_host_env") {
        const std::string text = ScalarText(m.value);
        for (std::string_view part : Split(text, ','))
          if (!part.empty()) spec.bind_host_env.emplace_back(part);
      } else if (key == "enabled_by_config" || key == "config_key") {
        spec.enabled_by_config = ScalarText(m.value);
      } else if (key == "default_when_absent") {
        spec.default_when_absent = ScalarText(m.value);
      } else if (key == "ranges" && m.value.IsArray()) {
        for (const Value& r : m.value.GetArray()) {
          if (!r.IsArray() || r.Size() != 2) continue;
          std::optional<Version> until;
          if (!r[1].IsNull()) until = Version::Parse(ScalarText(r[1]));
          spec.ranges.emplace_back(Version::Parse(ScalarText(r[0])), until);
        }
      }
    }
    ports.push_back(std::move(spec));
  });
  return ports;
}

// The objects of array `key`, each read by `read` (a Value -> T).
template <typename T, typename Read>
std::vector<T> ObjectList(const Value& obj, const char* key, Read read) {
  std::vector<T> out;
  ForEachObject(obj, key, [&](const Value& v) { out.push_back(read(v)); });
  return out;
}

std::vector<Credential> Credentials(const Value& obj) {
  return ObjectList<Credential>(obj, "default_credentials", [](const Value& c) {
    Credential cred;
    cred.user_env = Str(c, "user_env");
    cred.password_env = Str(c, "password_env");
    cred.user = Str(c, "user");
    cred.password = Str(c, "password");
    cred.severity = Str(c, "severity");
    if (cred.severity.empty()) cred.severity = "error";
    cred.help = Str(c, "help");
    cred.unset_means_default = Bool(c, "unset_means_default", true);
    return cred;
  });
}

std::vector<Requirement> Requirements(const Value& obj) {
  return ObjectList<Requirement>(obj, "requires", [](const Value& r) {
    Requirement req;
    req.what = Str(r, "what");
    req.image_patterns = StrList(r, "image_patterns");
    req.command_patterns = StrList(r, "command_patterns");
    req.help = Str(r, "help");
    req.since = Ver(r, "since");
    return req;
  });
}

std::vector<StorageMode> StorageModes(const Value& obj) {
  return ObjectList<StorageMode>(obj, "storage_modes", [](const Value& m) {
    StorageMode mode;
    mode.name = Str(m, "name");
    mode.select_env = Str(m, "select_env");
    mode.select_flag = Str(m, "select_flag");
    mode.select_value = Str(m, "select_value");
    mode.ephemeral_env = Str(m, "ephemeral_env");
    mode.ephemeral_flag = Str(m, "ephemeral_flag");
    mode.ephemeral_default = Bool(m, "ephemeral_default", false);
    mode.dirs = ObjectList<DataDir>(m, "dirs", [](const Value& d) {
      return DataDir{Str(d, "path"), Str(d, "env"), Str(d, "flag")};
    });
    return mode;
  });
}

TlsSpec Tls(const Value& v) {
  TlsSpec tls;
  tls.env = StrList(v, "enabled_by_env");
  tls.flags = StrList(v, "enabled_by_flag");
  tls.config_keys = StrList(v, "enabled_by_config_key");
  return tls;
}

std::vector<PushPath> PushPaths(const Value& obj) {
  return ObjectList<PushPath>(obj, "push_paths", [](const Value& p) {
    return PushPath{Str(p, "payload"), StrList(p, "paths"), StrList(p, "enabled_by_flag")};
  });
}

std::vector<ConfigEndpoint> ConfigEndpoints(const Value& obj) {
  return ObjectList<ConfigEndpoint>(obj, "config_endpoints", [](const Value& e) {
    return ConfigEndpoint{Str(e, "path"), Str(e, "payload")};
  });
}

std::vector<EndpointFlag> EndpointFlags(const Value& obj) {
  return ObjectList<EndpointFlag>(obj, "endpoint_flags", [](const Value& f) {
    return EndpointFlag{Str(f, "flag"), Str(f, "payload")};
  });
}

// Which ImageInfo fields a family or version range sets.
enum Field : std::uint32_t {
  kDisplay = 1u << 0,
  kRoles = 1u << 1,
  kConfigKind = 1u << 2,
  kConfigFlag = 1u << 3,
  kDefaultConfigPath = 1u << 4,
  kPorts = 1u << 5,
  kDataDirs = 1u << 6,
  kDataDirFlag = 1u << 7,
  kAuthenticates = 1u << 8,
  kAuthConfigKey = 1u << 9,
  kCredentials = 1u << 10,
  kTools = 1u << 11,
  kRequires = 1u << 12,
  kDatasourceTypes = 1u << 13,
  kDistribution = 1u << 14,
  kSource = 1u << 15,
  kStorageModes = 1u << 16,
  kTls = 1u << 17,
  kPushPaths = 1u << 18,
  kEndpointFlags = 1u << 19,
  kPathPrefixFlags = 1u << 20,
  kConfigEndpoints = 1u << 21,
  kPublicUrlEnv = 1u << 22,
  kSignUp = 1u << 23,
  kReceiverPorts = 1u << 24,
  kAuthDisabledByEnv = 1u << 25,
  kEndpointEnvs = 1u << 26,
  kLokiSchema = 1u << 27,
  kPortsFromConfig = 1u << 28,
  kAuthEnabledByFlag = 1u << 29,
};

// Reads the ImageInfo fields present in `obj` in one pass over its members;
// returns the mask of the fields it set.
std::uint32_t ReadImageFields(const Value& obj, ImageInfo& info) {
  std::uint32_t mask = 0;
  for (const auto& m : obj.GetObject()) {
    const std::string_view key = Key(m);
    const Value& v = m.value;
    if (v.IsNull()) continue;
    if (key == "display") {
      info.display = ScalarText(v);
      mask |= kDisplay;
    } else if (key == "roles") {
      info.roles = AsStrList(v);
      mask |= kRoles;
    } else if (key == "config_kind") {
      info.config_kind = ScalarText(v);
      mask |= kConfigKind;
    } else if (key == "config_flag") {
      info.config_flag = ScalarText(v);
      mask |= kConfigFlag;
    } else if (key == "default_config_path") {
      info.default_config_path = ScalarText(v);
      mask |= kDefaultConfigPath;
    } else if (key == "ports") {
      info.ports = Ports(obj);
      mask |= kPorts;
    } else if (key == "config_facts" && v.IsObject()) {
      LokiSchemaFacts facts;
      facts.tsdb_store_since = Ver(v, "tsdb_store_since");
      facts.schema_v13_since = Ver(v, "schema_v13_since");
      facts.old_schema_deprecated_since = Ver(v, "old_schema_deprecated_since");
      if (const Value* check = Member(v, "structured_metadata_check"))
        facts.structured_metadata_check_since = Ver(*check, "since");
      ForEachObject(v, "allow_structured_metadata_default", [&](const Value& d) {
        if (Bool(d, "value", false)) facts.structured_metadata_default_since = Ver(d, "since");
      });
      info.loki_schema = facts;
      mask |= kLokiSchema;
    } else if (key == "receiver_ports") {
      info.receiver_ports = Ports(obj, "receiver_ports");
      mask |= kReceiverPorts;
    } else if (key == "auth_enabled_by_flag") {
      info.auth_enabled_by_flag = AsStrList(v);
      mask |= kAuthEnabledByFlag;
    } else if (key == "auth_default_token" && v.IsObject()) {
      info.auth_default_token = {Str(v, "env"), Str(v, "value")};
    } else if (key == "auth_disabled_by_env") {
      ForEachObject(obj, "auth_disabled_by_env", [&](const Value& a) {
        info.auth_disabled_by_env.emplace_back(Str(a, "env"), Str(a, "value"));
      });
      mask |= kAuthDisabledByEnv;
    } else if (key == "endpoint_envs") {
      info.endpoint_envs = ObjectList<EndpointFlag>(obj, "endpoint_envs", [](const Value& e) {
        return EndpointFlag{Str(e, "env"), Str(e, "payload")};
      });
      mask |= kEndpointEnvs;
    } else if (key == "data_dirs") {
      info.data_dirs = AsStrList(v);
      mask |= kDataDirs;
    } else if (key == "data_dir_flag") {
      info.data_dir_flag = ScalarText(v);
      mask |= kDataDirFlag;
    } else if (key == "authenticates") {
      info.authenticates = AsBool(v, false);
      mask |= kAuthenticates;
    } else if (key == "ports_from_config") {
      info.ports_from_config = AsBool(v, false);
      mask |= kPortsFromConfig;
    } else if (key == "auth_config_key") {
      info.auth_config_key = ScalarText(v);
      mask |= kAuthConfigKey;
    } else if (key == "default_credentials") {
      info.default_credentials = Credentials(obj);
      mask |= kCredentials;
    } else if (key == "tools") {
      info.has_shell = Bool(v, "shell", true);
      info.has_curl = Bool(v, "curl", false);
      info.has_wget = Bool(v, "wget", false);
      mask |= kTools;
    } else if (key == "requires") {
      info.requires_services = Requirements(obj);
      mask |= kRequires;
    } else if (key == "datasource_types") {
      info.datasource_types = AsStrList(v);
      mask |= kDatasourceTypes;
    } else if (key == "distribution") {
      info.distribution = ScalarText(v);
      mask |= kDistribution;
    } else if (key == "source" || key == "sources") {
      // One citation (`source`) or a list (`sources`); both are kept.
      const std::string text = SourceText(v);
      info.source = info.source.empty() ? text : info.source + " " + text;
      mask |= kSource;
    } else if (key == "storage_modes") {
      info.storage_modes = StorageModes(obj);
      mask |= kStorageModes;
    } else if (key == "tls") {
      if (v.IsObject()) info.tls = Tls(v);
      mask |= kTls;
    } else if (key == "push_paths") {
      info.push_paths = PushPaths(obj);
      mask |= kPushPaths;
    } else if (key == "path_prefix_flags") {
      info.path_prefix_flags = AsStrList(v);
      mask |= kPathPrefixFlags;
    } else if (key == "sign_up") {
      if (v.IsObject())
        info.sign_up = SignUp{Str(v, "env"),        Bool(v, "default_open", false),
                              Bool(v, "web_only", false), Str(v, "legacy_env"),
                              Str(v, "legacy_meaning"), Str(v, "help")};
      mask |= kSignUp;
    } else if (key == "public_url_env") {
      info.public_url_env = ScalarText(v);
      mask |= kPublicUrlEnv;
    } else if (key == "config_endpoints") {
      info.config_endpoints = ConfigEndpoints(obj);
      mask |= kConfigEndpoints;
    } else if (key == "endpoint_flags") {
      info.endpoint_flags = EndpointFlags(obj);
      mask |= kEndpointFlags;
    }
  }
  return mask;
}

void MergeImageFields(const ImageInfo& from, std::uint32_t mask, ImageInfo& into) {
  if (mask & kDisplay) into.display = from.display;
  if (mask & kRoles) into.roles = from.roles;
  if (mask & kConfigKind) into.config_kind = from.config_kind;
  if (mask & kConfigFlag) into.config_flag = from.config_flag;
  if (mask & kDefaultConfigPath) into.default_config_path = from.default_config_path;
  if (mask & kPorts) into.ports = from.ports;
  if (mask & kDataDirs) into.data_dirs = from.data_dirs;
  if (mask & kDataDirFlag) into.data_dir_flag = from.data_dir_flag;
  if (mask & kAuthenticates) into.authenticates = from.authenticates;
  if (mask & kPortsFromConfig) into.ports_from_config = from.ports_from_config;
  if (mask & kAuthEnabledByFlag) into.auth_enabled_by_flag = from.auth_enabled_by_flag;
  if (mask & kAuthConfigKey) into.auth_config_key = from.auth_config_key;
  if (mask & kCredentials) into.default_credentials = from.default_credentials;
  if (mask & kTools) {
    into.has_shell = from.has_shell;
    into.has_curl = from.has_curl;
    into.has_wget = from.has_wget;
  }
  if (mask & kRequires) into.requires_services = from.requires_services;
  if (mask & kDatasourceTypes) into.datasource_types = from.datasource_types;
  if (mask & kDistribution) into.distribution = from.distribution;
  if (mask & kSource) into.source = from.source;
  if (mask & kStorageModes) into.storage_modes = from.storage_modes;
  if (mask & kTls) into.tls = from.tls;
  if (mask & kPushPaths) into.push_paths = from.push_paths;
  if (mask & kEndpointFlags) into.endpoint_flags = from.endpoint_flags;
  if (mask & kPathPrefixFlags) into.path_prefix_flags = from.path_prefix_flags;
  if (mask & kConfigEndpoints) into.config_endpoints = from.config_endpoints;
  if (mask & kPublicUrlEnv) into.public_url_env = from.public_url_env;
  if (mask & kSignUp) into.sign_up = from.sign_up;
  if (mask & kReceiverPorts) into.receiver_ports = from.receiver_ports;
  if (mask & kAuthDisabledByEnv) into.auth_disabled_by_env = from.auth_disabled_by_env;
  if (mask & kEndpointEnvs) into.endpoint_envs = from.endpoint_envs;
  if (mask & kLokiSchema) into.loki_schema = from.loki_schema;
}

// A parsed knowledge file. The document is parsed in place in its own copy
// of the text (strings point into `text` instead of being copied again), so
// the two live together.
struct ParsedJson {
  std::vector<char> text;
  rapidjson::Document doc;
};

ParsedJson ParseJson(std::string_view json, const char* what) {
  ParsedJson parsed;
  parsed.text.assign(json.begin(), json.end());
  parsed.text.push_back('\0');
  rapidjson::Document& doc = parsed.doc;
  doc.ParseInsitu(parsed.text.data());
  if (doc.HasParseError()) {
    throw std::runtime_error(std::string("knowledge: cannot parse ") + what + " at offset " +
                             std::to_string(doc.GetErrorOffset()) + ": " +
                             rapidjson::GetParseError_En(doc.GetParseError()));
  }
  if (!doc.IsObject())
    throw std::runtime_error(std::string("knowledge: ") + what + " is not a map");
  return parsed;
}

}  // namespace

// One image family with its per-version overlays.
struct Knowledge::ImageEntry {
  struct Overlay {
    Version since;
    std::optional<Version> until;  // exclusive
    ImageInfo fields;
    std::uint32_t mask = 0;
  };
  ImageFamily family;
  std::vector<std::string> match;  // exact repositories, lower case
  // Receiver ports marked local_by_default bind localhost from this release.
  std::optional<Version> receivers_local_since;
  ImageInfo base;
  std::vector<Overlay> overlays;
};

// ---------------------------------------------------------------------------
// Knowledge
// ---------------------------------------------------------------------------

Knowledge Knowledge::FromJson(const std::vector<std::string_view>& images_jsons,
                              std::string_view components_json, std::string_view secrets_json) {
  Knowledge k;
  k.image_cache_ = std::make_shared<ImageCache>();

  for (std::string_view images_json : images_jsons) {
    if (images_json.empty()) continue;
    const ParsedJson parsed = ParseJson(images_json, "images");
    const rapidjson::Document& doc = parsed.doc;
    ForEachObject(doc, "images", [&](const Value& family) {
      auto entry = std::make_shared<ImageEntry>();
      for (std::string repo : StrList(family, "match"))
        entry->match.push_back(ParseImageReference(repo).repository);
      entry->family.newest = Ver(family, "newest");
      entry->family.id = Str(family, "family");
      if (const Value* parts = Member(family, "version_parts"); parts && parts->IsInt())
        entry->family.version_parts = parts->GetInt();
      entry->base.family = entry->family.id;
      ForEachObject(family, "repositories_frozen", [&](const Value& f) {
        entry->family.frozen.emplace_back(ParseImageReference(Str(f, "repository")).repository,
                                          Ver(f, "last_before"));
      });
      ForEachObject(family, "variants", [&](const Value& v) {
        ImageVariant variant;
        variant.tag_suffix = Str(v, "tag_suffix");
        if (const Value* tools = Member(v, "tools")) {
          variant.has_shell = Bool(*tools, "shell", true);
          variant.has_curl = Bool(*tools, "curl", false);
          variant.has_wget = Bool(*tools, "wget", false);
        }
        entry->family.variants.push_back(std::move(variant));
      });
      entry->receivers_local_since = OptVer(family, "receivers_local_by_default_since");
      ReadImageFields(family, entry->base);
      ForEachObject(family, "versions", [&](const Value& range) {
        ImageEntry::Overlay overlay;
        overlay.since = Ver(range, "since");
        overlay.until = OptVer(range, "until");
        overlay.mask = ReadImageFields(range, overlay.fields);
        entry->overlays.push_back(std::move(overlay));
      });
      entry->family.display = entry->base.display;
      k.images_.push_back(std::move(entry));
    });
  }

  if (!components_json.empty()) {
    const ParsedJson parsed = ParseJson(components_json, "collector-components");
    const rapidjson::Document& doc = parsed.doc;
    if (const Value* c = Member(doc, "collector")) {
      k.collector_.newest = Ver(*c, "newest");
      k.collector_.bare_env_invalid_since = Ver(*c, "bare_env_invalid_since");
      k.collector_.env_default_since = Ver(*c, "env_default_since");
      k.collector_.localhost_default_since = Ver(*c, "localhost_default_since");
      k.collector_.telemetry_localhost_since = Ver(*c, "telemetry_localhost_since");
      k.collector_.telemetry_address_ignored_since = Ver(*c, "telemetry_address_ignored_since");
      k.collector_.telemetry_address_rejected_since = Ver(*c, "telemetry_address_rejected_since");
      k.collector_.strict_types_since = Ver(*c, "strict_types_since");
      k.collector_.telemetry_address_deprecated_since =
          Ver(*c, "telemetry_address_deprecated_since");
      if (const Value* port = Member(*c, "telemetry_default_port"); port && port->IsInt())
        k.collector_.telemetry_default_port = port->GetInt();
      ForEachObject(*c, "feature_gates", [&](const Value& g) {
        k.collector_.feature_gates.push_back({Str(g, "id"), Ver(g, "enabled_since"),
                                              Ver(g, "stable_since"), Ver(g, "removed_since")});
      });
    }
    ForEachObject(doc, "components", [&](const Value& c) {
      const std::optional<ComponentKind> kind = ParseComponentKind(Str(c, "kind"));
      if (!kind)
        throw std::runtime_error("knowledge: unknown component kind \"" + Str(c, "kind") + "\"");
      ComponentInfo info;
      info.kind = *kind;
      info.type = Str(c, "type");
      info.distributions = StrList(c, "distributions");
      info.signals = StrList(c, "signals");
      info.added = Ver(c, "added");
      info.added.known = true;  // "0.0.0" is a real bound, not "unknown"
      info.deprecated = OptVer(c, "deprecated");
      info.removed = OptVer(c, "removed");
      info.replacement = Str(c, "replacement");
      ForEachObject(c, "removed_settings", [&](const Value& s) {
        info.removed_settings.push_back({Str(s, "key"), Ver(s, "removed"), Str(s, "help")});
      });
      info.default_ports = StrList(c, "default_ports");
      if (const Value* l = Member(c, "listens"); l && l->IsBool())
        info.listens = l->GetBool() ? ComponentInfo::Listens::kYes : ComponentInfo::Listens::kNo;
      info.localhost_default_since = OptVer(c, "localhost_default_since");
      if (info.localhost_default_since) info.localhost_default_since->known = true;
      info.listen_keys = StrList(c, "listen_keys");
      if (const Value* shipped = Member(c, "shipped"); shipped && shipped->IsObject()) {
        for (const auto& dist : shipped->GetObject()) {
          auto& ranges = info.shipped[std::string(dist.name.GetString(), dist.name.GetStringLength())];
          if (!dist.value.IsArray()) continue;
          for (const Value& r : dist.value.GetArray()) {
            if (!r.IsArray() || r.Size() != 2) continue;
            ComponentInfo::Range range;
            range.since = Version::Parse(ScalarText(r[0]));
            range.since.known = true;  // "0.0.0" is a real bound
            if (!r[1].IsNull()) range.until = Version::Parse(ScalarText(r[1]));
            ranges.push_back(range);
          }
        }
      }
      for (const char* key : {"source", "sources"}) {
        if (const Value* src = Member(c, key)) {
          const std::string text = SourceText(*src);
          info.source = info.source.empty() ? text : info.source + " " + text;
        }
      }
      k.components_.push_back(std::move(info));
    });
  }

  // Where each family's facts change: range bounds, requirements' `since`,
  // and for collector images the collector behaviour thresholds.
  for (size_t i = 0; i < k.images_.size(); ++i) {
    auto& entry = const_cast<ImageEntry&>(*k.images_[i]);
    std::vector<Version>& b = entry.family.boundaries;
    for (const auto& o : entry.overlays) {
      b.push_back(o.since);
      if (o.until) b.push_back(*o.until);
      for (const Requirement& r : o.fields.requires_services) b.push_back(r.since);
    }
    for (const Requirement& r : entry.base.requires_services) b.push_back(r.since);
    for (const PortSpec& p : entry.base.receiver_ports)
      for (const auto& [since, until] : p.ranges) {
        b.push_back(since);
        if (until) b.push_back(*until);
      }
    if (entry.receivers_local_since) b.push_back(*entry.receivers_local_since);
    if (const auto& f = entry.base.loki_schema) {
      for (const Version& v : {f->tsdb_store_since, f->schema_v13_since,
                               f->old_schema_deprecated_since,
                               f->structured_metadata_check_since,
                               f->structured_metadata_default_since})
        if (v.known) b.push_back(v);
    }
    if (entry.base.config_kind == "collector") {
      const CollectorBehaviour& cb = k.collector_;
      for (const Version& v : {cb.bare_env_invalid_since, cb.env_default_since,
                               cb.localhost_default_since, cb.telemetry_localhost_since,
                               cb.telemetry_address_ignored_since,
                               cb.telemetry_address_rejected_since})
        if (v.known) b.push_back(v);
    }
    std::erase_if(b, [](const Version& v) { return v == Version{0, 0, 0, true}; });
    std::sort(b.begin(), b.end());
    b.erase(std::unique(b.begin(), b.end()), b.end());
    for (Version& v : b) v.known = true;
    entry.family.index = i;
    k.families_.push_back(&entry.family);
  }

  if (!secrets_json.empty()) {
    const ParsedJson parsed = ParseJson(secrets_json, "secrets");
    const rapidjson::Document& doc = parsed.doc;
    k.secrets_.secret_key_patterns = StrList(doc, "secret_key_patterns");
    k.secrets_.non_secret_key_patterns = StrList(doc, "non_secret_key_patterns");
    k.secrets_.placeholder_patterns = StrList(doc, "placeholder_patterns");
    k.secrets_.weak_patterns = StrList(doc, "weak_patterns");
    k.secrets_.grafana_contact_point_secure_settings =
        StrList(doc, "grafana_contact_point_secure_settings");
  }
  return k;
}

const std::string& KnowledgeCheckedThrough() {
  static const std::string date = [] {
    const std::string_view json = embedded::Get("knowledge/about.json");
    if (json.empty()) return std::string("unknown");
    const ParsedJson parsed = ParseJson(json, "about");
    const rapidjson::Document& doc = parsed.doc;
    if (!doc.IsObject() || !doc.HasMember("checked_through") || !doc["checked_through"].IsString())
      return std::string("unknown");
    return std::string(doc["checked_through"].GetString());
  }();
  return date;
}

const Knowledge& Knowledge::Embedded() {
  // Never destroyed: it lives until the process ends, and freeing it at exit
  // would only cost time (about 0.5 M instructions).
  static const Knowledge& knowledge = *new Knowledge([] {
    std::vector<std::string_view> images;
    constexpr std::string_view kImages = "knowledge/images/";
    for (std::size_t i = 0; i < embedded::kFileCount; ++i)
      if (embedded::kFiles[i].name.substr(0, kImages.size()) == kImages)
        images.push_back(embedded::kFiles[i].content);
    return FromJson(images, embedded::Get("knowledge/collector-components.json"),
                    embedded::Get("knowledge/secrets.json"));
  }());
  return knowledge;
}

struct Knowledge::ImageCache {
  std::mutex mutex;
  std::map<std::string, std::shared_ptr<const ImageInfo>, std::less<>> by_reference;
  std::map<std::tuple<size_t, int, int, int>, std::shared_ptr<const ImageInfo>> by_version;
};

std::shared_ptr<const ImageInfo> Knowledge::Image(std::string_view image_reference) const {
  const ImageFamily* family = Family(image_reference);
  if (family == nullptr) return nullptr;
  const std::string tag = ParseImageReference(image_reference).tag;
  Version v = Version::Parse(tag);
  const bool assumed = !v.known;
  if (assumed) v = family->newest;
  auto facts = FactsAt(*family, v);
  // A variant chosen by the tag's suffix ships other tools (postgres
  // "-alpine": busybox wget; Grafana "-ubuntu"), as in the analysis layer.
  const ImageVariant* variant = nullptr;
  for (const ImageVariant& candidate : family->variants) {
    if (!candidate.tag_suffix.empty() && tag.ends_with(candidate.tag_suffix)) {
      variant = &candidate;
      break;
    }
  }
  if (!assumed && variant == nullptr) return facts;
  auto copy = std::make_shared<ImageInfo>(*facts);
  copy->version_assumed = assumed;
  if (variant != nullptr) {
    copy->has_shell = variant->has_shell;
    copy->has_curl = variant->has_curl;
    copy->has_wget = variant->has_wget;
  }
  return copy;
}

const ImageFamily* Knowledge::Family(std::string_view image_reference) const {
  const ImageReference ref = ParseImageReference(image_reference);
  if (ref.repository.empty()) return nullptr;
  for (const auto& entry : images_)
    if (std::find(entry->match.begin(), entry->match.end(), ref.repository) != entry->match.end())
      return &entry->family;
  return nullptr;
}

std::shared_ptr<const ImageInfo> Knowledge::FactsAt(const ImageFamily& family,
                                                    const Version& version) const {
  const auto key = std::make_tuple(family.index, version.major, version.minor, version.patch);
  std::unique_lock<std::mutex> lock;
  if (image_cache_) {
    lock = std::unique_lock<std::mutex>(image_cache_->mutex);
    if (auto it = image_cache_->by_version.find(key); it != image_cache_->by_version.end())
      return it->second;
  }
  const ImageEntry& entry = *images_[family.index];
  ImageInfo info = entry.base;
  info.version = version;
  info.version.known = true;
  for (const ImageEntry::Overlay& overlay : entry.overlays) {
    if (info.version < overlay.since) continue;
    if (overlay.until && !(info.version < *overlay.until)) continue;
    MergeImageFields(overlay.fields, overlay.mask, info);
  }
  std::erase_if(info.requires_services,
                [&](const Requirement& req) { return info.version < req.since; });
  for (PortSpec spec : info.receiver_ports) {
    if (!spec.ranges.empty() &&
        std::none_of(spec.ranges.begin(), spec.ranges.end(), [&](const auto& r) {
          return r.first <= info.version && (!r.second || info.version < *r.second);
        }))
      continue;
    if (spec.local_by_default && entry.receivers_local_since &&
        info.version < *entry.receivers_local_since)
      spec.local_by_default = false;
    info.ports.push_back(std::move(spec));
  }
  info.receiver_ports.clear();
  auto facts = std::make_shared<const ImageInfo>(std::move(info));
  if (image_cache_) image_cache_->by_version.emplace(key, facts);
  return facts;
}

const ComponentInfo* Knowledge::Component(ComponentKind kind, std::string_view type) const {
  for (const ComponentInfo& info : components_)
    if (info.kind == kind && info.type == type) return &info;
  return nullptr;
}

}  // namespace obslint
