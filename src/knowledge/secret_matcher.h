// The secret patterns of knowledge/secrets.yaml, compiled once and shared by
// every rule, reporter and thread: compiling them costs more than linting a
// small stack, so nothing else compiles them.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "knowledge/knowledge.h"

namespace re2 {
class RE2;
}

namespace obslint {

class SecretMatcher {
 public:
  explicit SecretMatcher(const SecretPatterns& patterns);
  ~SecretMatcher();
  SecretMatcher(const SecretMatcher&) = delete;
  SecretMatcher& operator=(const SecretMatcher&) = delete;

  // The matcher for a pattern set (built on first use, then cached).
  static const SecretMatcher& For(const SecretPatterns& patterns);
  // The matcher for the embedded knowledge.
  static const SecretMatcher& Embedded();

  // A variable or config key whose value is a secret (PASSWORD, SECRET_KEY...).
  bool IsSecretKey(std::string_view key) const;
  // A value someone meant to replace ("change-me", "your-key-here").
  bool IsPlaceholder(std::string_view value) const;
  // A real but guessable value ("admin", "glitchtip_secret").
  bool IsWeak(std::string_view value) const;
  // A Grafana contact point setting that holds a secret whatever its name:
  // `path` ("url", "sigv4.secret_key") of an integration of `type` ("slack").
  bool IsContactPointSecret(std::string_view type, std::string_view path) const;

 private:
  class PatternSet;  // one RE2::Set per list: one pass over the text, whatever the count
  std::unique_ptr<PatternSet> secret_keys_, non_secret_keys_, placeholders_, weak_;
  std::vector<std::string> contact_point_secrets_;  // "type.path", type lower-cased
};

}  // namespace obslint
