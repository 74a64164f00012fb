// `obslint compose-config`: the Compose model as obslint resolved it, for
// people checking what obslint saw and for comparing with
// `docker compose config`.
#include <rapidjson/prettywriter.h>
#include <rapidjson/stringbuffer.h>

#include <filesystem>
#include <ostream>
#include <string>

#include "model/project.h"
#include "report/internal.h"
#include "report/report.h"

namespace obslint {
namespace {

using Writer = rapidjson::PrettyWriter<rapidjson::StringBuffer>;

void String(Writer& w, std::string_view s) {
  std::string valid = report_internal::ValidUtf8(s);
  w.String(valid.data(), static_cast<rapidjson::SizeType>(valid.size()));
}

// A host path as the findings show paths: relative to the working directory.
std::string Display(const std::string& abs) {
  static const std::filesystem::path cwd = std::filesystem::current_path();
  std::filesystem::path p(abs);
  if (p.is_relative()) return abs;
  std::string rel = p.lexically_normal().lexically_relative(cwd).string();
  return rel.empty() ? abs : rel;
}

// "file:line:column" of a value; "" when it has none.
void At(Writer& w, const Location& loc) {
  w.Key("at");
  if (!loc.HasPosition()) {
    String(w, loc.file);
    return;
  }
  String(w, loc.file + ":" + std::to_string(loc.line) + ":" + std::to_string(loc.column));
}

void Strings(Writer& w, std::string_view key, const std::vector<std::string>& items) {
  w.Key(key.data(), static_cast<rapidjson::SizeType>(key.size()));
  w.StartArray();
  for (const auto& item : items) String(w, item);
  w.EndArray();
}

void Words(Writer& w, std::string_view key, const std::vector<Located<std::string>>& words) {
  w.Key(key.data(), static_cast<rapidjson::SizeType>(key.size()));
  w.StartArray();
  for (const auto& word : words) {
    w.StartObject();
    w.Key("value");
    String(w, word.value);
    At(w, word.loc);
    w.EndObject();
  }
  w.EndArray();
}

void Service(Writer& w, const ComposeService& s) {
  w.StartObject();
  w.Key("name");
  String(w, s.name);
  At(w, s.name_loc);
  w.Key("starts");
  w.Bool(s.starts);
  Strings(w, "profiles", s.profiles);
  if (s.image.text.present) {
    w.Key("image");
    w.StartObject();
    w.Key("value");
    String(w, s.image.text.value);
    At(w, s.image.text.loc);
    w.EndObject();
  }
  w.Key("build");
  w.Bool(s.has_build);
  if (s.command_present) Words(w, "command", s.command);
  if (!s.entrypoint.empty()) Words(w, "entrypoint", s.entrypoint);
  // The value each variable ends up with (env_file first, environment: wins).
  w.Key("environment");
  w.StartArray();
  for (const EnvVar& e : s.environment) {
    if (s.Env(e.key) != &e) continue;
    w.StartObject();
    w.Key("key");
    String(w, e.key);
    if (e.has_value) {
      w.Key("value");
      String(w, e.value.resolved);
    }
    At(w, e.from_file.empty() ? e.key_loc : e.value_loc);
    w.EndObject();
  }
  w.EndArray();
  w.Key("ports");
  w.StartArray();
  for (const PortMapping& p : s.ports) {
    w.StartObject();
    w.Key("hostIp");
    String(w, p.host_ip);
    w.Key("published");
    String(w, p.host_start == 0 ? std::string()
              : p.host_end > p.host_start
                  ? std::to_string(p.host_start) + "-" + std::to_string(p.host_end)
                  : std::to_string(p.host_start));
    w.Key("target");
    String(w, p.container_end > p.container_start
                  ? std::to_string(p.container_start) + "-" + std::to_string(p.container_end)
                  : std::to_string(p.container_start));
    w.Key("protocol");
    String(w, p.protocol);
    At(w, p.loc);
    w.EndObject();
  }
  w.EndArray();
  w.Key("volumes");
  w.StartArray();
  for (const VolumeMount& m : s.volumes) {
    w.StartObject();
    w.Key("type");
    String(w, m.type);
    w.Key("source");
    String(w, m.type == "bind" && !m.host_path.empty() ? Display(m.host_path) : m.source);
    w.Key("target");
    String(w, m.target);
    w.Key("readOnly");
    w.Bool(m.read_only);
    At(w, m.loc);
    w.EndObject();
  }
  w.EndArray();
  w.Key("dependsOn");
  w.StartArray();
  for (const DependsOn& d : s.depends_on) {
    w.StartObject();
    w.Key("service");
    String(w, d.service.value);
    w.Key("condition");
    String(w, d.condition);
    w.Key("required");
    w.Bool(d.required);
    At(w, d.service.loc);
    w.EndObject();
  }
  w.EndArray();
  std::vector<std::string> networks;
  for (const ServiceNetwork& n : s.networks) networks.push_back(n.name.value);
  Strings(w, "networks", networks);
  w.Key("envFiles");
  w.StartArray();
  for (const auto& f : s.env_files) String(w, Display(f.value));
  w.EndArray();
  if (s.healthcheck.present) {
    w.Key("healthcheck");
    w.StartObject();
    w.Key("disabled");
    w.Bool(s.healthcheck.disabled);
    w.Key("form");
    String(w, s.healthcheck.test_form);
    Words(w, "test", s.healthcheck.test);
    w.EndObject();
  }
  w.EndObject();
}

}  // namespace

void WriteComposeModel(const Project& project, std::ostream& out) {
  const ComposeProject& c = project.compose;
  rapidjson::StringBuffer buffer;
  Writer w(buffer);
  w.SetIndent(' ', 2);
  w.StartObject();
  w.Key("name");
  String(w, c.name);
  w.Key("composeFiles");
  w.StartArray();
  for (const ComposeFile& f : c.files) {
    w.StartObject();
    w.Key("path");
    String(w, f.path);
    w.Key("role");
    String(w, f.role);
    w.EndObject();
  }
  w.EndArray();
  w.Key("composeFilesFrom");
  String(w, c.files_from);
  Strings(w, "activeProfiles", c.active_profiles);
  w.Key("profilesFrom");
  String(w, c.profiles_from);
  std::vector<std::string> env_files;
  for (const EnvFile& e : project.env_files)
    if (e.is_project_env && e.source != nullptr) env_files.push_back(e.source->path);
  Strings(w, "envFiles", env_files);
  w.Key("services");
  w.StartArray();
  for (const ComposeService& s : c.services) Service(w, s);
  w.EndArray();
  for (auto [key, decls] : {std::pair{"networks", &c.networks}, std::pair{"volumes", &c.volumes},
                            std::pair{"secrets", &c.secrets}, std::pair{"configs", &c.configs}}) {
    w.Key(key);
    w.StartArray();
    for (const TopLevelDecl& d : *decls) {
      w.StartObject();
      w.Key("name");
      String(w, d.name);
      w.Key("external");
      w.Bool(d.external);
      if (!d.file.empty()) {
        w.Key("file");
        String(w, Display(d.file));
      }
      At(w, d.loc);
      w.EndObject();
    }
    w.EndArray();
  }
  w.Key("extends");
  w.StartArray();
  for (const ExtendsLink& l : c.extends) {
    w.StartObject();
    w.Key("service");
    String(w, l.service);
    w.Key("base");
    String(w, l.base_service);
    w.Key("baseLines");
    String(w, l.base_file + ":" + std::to_string(l.first_line) + "-" + std::to_string(l.last_line));
    At(w, l.extends_loc);
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  out.write(buffer.GetString(), static_cast<std::streamsize>(buffer.GetSize()));
  out << '\n';
}

}  // namespace obslint
