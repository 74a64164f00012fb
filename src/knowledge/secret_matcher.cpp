#include "knowledge/secret_matcher.h"

#include <re2/re2.h>
#include <re2/set.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace obslint {

class SecretMatcher::PatternSet {
 public:
  explicit PatternSet(const std::vector<std::string>& patterns)
      : set_(Options(), re2::RE2::UNANCHORED) {
    for (const auto& p : patterns)
      if (set_.Add(p, nullptr) >= 0) empty_ = false;  // invalid patterns are skipped
    if (!empty_) empty_ = !set_.Compile();
  }
  bool Matches(std::string_view text) const {
    return !empty_ && set_.Match(re2::StringPiece(text.data(), text.size()), nullptr);
  }

 private:
  static re2::RE2::Options Options() {
    re2::RE2::Options o;
    o.set_log_errors(false);
    return o;
  }
  re2::RE2::Set set_;
  bool empty_ = true;
};

SecretMatcher::SecretMatcher(const SecretPatterns& patterns)
    : secret_keys_(std::make_unique<PatternSet>(patterns.secret_key_patterns)),
      non_secret_keys_(std::make_unique<PatternSet>(patterns.non_secret_key_patterns)),
      placeholders_(std::make_unique<PatternSet>(patterns.placeholder_patterns)),
      weak_(std::make_unique<PatternSet>(patterns.weak_patterns)) {
  for (std::string entry : patterns.grafana_contact_point_secure_settings) {
    size_t dot = entry.find('.');
    for (size_t i = 0; i < dot && i < entry.size(); ++i)
      entry[i] = static_cast<char>(std::tolower(static_cast<unsigned char>(entry[i])));
    contact_point_secrets_.push_back(std::move(entry));
  }
}

SecretMatcher::~SecretMatcher() = default;

const SecretMatcher& SecretMatcher::For(const SecretPatterns& patterns) {
  static std::mutex mutex;
  static std::map<const SecretPatterns*, std::unique_ptr<SecretMatcher>> cache;
  std::lock_guard<std::mutex> lock(mutex);
  std::unique_ptr<SecretMatcher>& matcher = cache[&patterns];
  if (!matcher) matcher = std::make_unique<SecretMatcher>(patterns);
  return *matcher;
}

const SecretMatcher& SecretMatcher::Embedded() { return For(Knowledge::Embedded().Secrets()); }

bool SecretMatcher::IsSecretKey(std::string_view key) const {
  return secret_keys_->Matches(key) && !non_secret_keys_->Matches(key);
}

bool SecretMatcher::IsPlaceholder(std::string_view value) const {
  return placeholders_->Matches(value);
}

bool SecretMatcher::IsWeak(std::string_view value) const { return weak_->Matches(value); }

bool SecretMatcher::IsContactPointSecret(std::string_view type, std::string_view path) const {
  // Grafana compares integration types case-insensitively (strings.EqualFold).
  std::string key;
  for (char c : type) key += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  key += '.';
  key += path;
  return std::find(contact_point_secrets_.begin(), contact_point_secrets_.end(), key) !=
         contact_point_secrets_.end();
}

}  // namespace obslint
