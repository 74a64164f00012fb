// The analysis layer below the rules: for one loaded stack, the effective
// version and image facts of every service, what every service listens on,
// and every connection between services. Built lazily, once per stack, and
// shared by every rule of the run (see AnalysisScope); rules only word
// findings over it.
#pragma once

#include <memory>
#include <optional>
#include <vector>

#include "analysis/listening.h"
#include "analysis/version.h"
#include "knowledge/knowledge.h"
#include "model/project.h"

namespace obslint {

class StackEndpoints;
struct KeyFinding;

// The image facts over one stretch of releases on which they are the same.
struct ImagePiece {
  VersionRange range;
  std::shared_ptr<const ImageInfo> info;
};

// What obslint knows about the image a service runs.
struct ServiceImage {
  const ImageFamily* family = nullptr;  // nullptr: an image obslint does not know
  EffectiveVersion version;
  // The facts over the releases `version` allows, one piece per stretch
  // where they do not change (one piece for an exact tag). An unknown
  // version spans every release the knowledge base describes.
  std::vector<ImagePiece> pieces;
  bool built = false;  // the service has `build:`: a local image under this name

  bool Known() const { return family != nullptr; }
  // The facts at the representative release, for facts that do not depend
  // on the version (display name, roles, config flag); nullptr when unknown.
  const ImageInfo* Info() const { return pieces.empty() ? nullptr : Representative().get(); }
  // How far `pred(const ImageInfo&)` holds over the releases the tag allows:
  // kYes on every piece; kPartly on some (never for an unknown version).
  template <class Pred>
  Judgement Holds(Pred pred) const;
  // "Grafana Loki 2.9.x", "OpenTelemetry Collector Contrib 0.92.0".
  std::string Describe() const;

 private:
  const std::shared_ptr<const ImageInfo>& Representative() const;
};

class Analysis {
 public:
  Analysis(const Project& project, const Knowledge& knowledge);
  ~Analysis();
  Analysis(const Analysis&) = delete;
  Analysis& operator=(const Analysis&) = delete;

  // The analysis of `project`: inside an AnalysisScope built once and shared
  // by every rule of the run, otherwise built for the caller.
  static std::shared_ptr<const Analysis> Of(const Project& project, const Knowledge& knowledge);

  const Project& project() const { return project_; }
  const Knowledge& knowledge() const { return knowledge_; }

  const ServiceImage& Image(const ComposeService& service) const;
  // What the service listens on over every release its tag allows.
  const ListenInfo& Listening(const ComposeService& service) const;
  // What it listens on at the facts of piece `piece` of its image.
  const ListenInfo& ListeningAt(const ComposeService& service, size_t piece) const;
  // Every connection between services (built on first use).
  const StackEndpoints& Endpoints() const;
  // Every configuration file checked against its program's key table
  // (analysis/config_keys.h); built on first use.
  const std::vector<KeyFinding>& KeyFindings() const;
  // Images whose tag names a release newer than the knowledge base knows
  // (judged as the newest known one; OBS003 says so once).
  std::vector<const ComposeService*> NewerThanKnowledge() const;

 private:
  const Project& project_;
  const Knowledge& knowledge_;
  std::vector<ServiceImage> images_;  // parallel to project.compose.services
  mutable std::vector<std::optional<ListenInfo>> listening_;
  // Per service, per piece of its image.
  mutable std::vector<std::vector<std::optional<ListenInfo>>> piece_listening_;
  mutable std::unique_ptr<StackEndpoints> endpoints_;
  mutable std::unique_ptr<std::vector<KeyFinding>> key_findings_;
};

// While alive (on this thread), Analysis::Of builds the analysis of a
// project once and hands out that one copy; the project must not change
// meanwhile. RunRules opens one around the rules of a stack.
class AnalysisScope {
 public:
  AnalysisScope();
  ~AnalysisScope();
  AnalysisScope(const AnalysisScope&) = delete;
  AnalysisScope& operator=(const AnalysisScope&) = delete;
};

// Index of `service` in project.compose.services.
size_t ServiceIndex(const Project& project, const ComposeService& service);

template <class Pred>
Judgement ServiceImage::Holds(Pred pred) const {
  Judgement j;
  if (pieces.empty()) return j;
  bool all = true, any = false;
  std::optional<VersionRange> where;
  for (const ImagePiece& p : pieces) {
    if (pred(*p.info)) {
      any = true;
      if (!where) where = p.range;
      else where->high = p.range.high;  // pieces are ordered; joins runs
    } else {
      all = false;
    }
  }
  if (all) {
    j.kind = Judgement::kYes;
    j.where = version.Known() ? version.range : VersionRange{};
  } else if (any && version.Known()) {
    j.kind = Judgement::kPartly;
    j.where = *where;
  }
  return j;
}

}  // namespace obslint
