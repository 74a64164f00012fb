#include "analysis/analysis.h"

#include <fmt/format.h>

#include "analysis/config_keys.h"
#include "analysis/endpoints.h"

namespace obslint {

size_t ServiceIndex(const Project& project, const ComposeService& service) {
  return static_cast<size_t>(&service - project.compose.services.data());
}

const std::shared_ptr<const ImageInfo>& ServiceImage::Representative() const {
  // The piece holding the representative release (the start of the range);
  // for an unknown version, the newest release's facts.
  if (!version.Known()) return pieces.back().info;
  for (const ImagePiece& p : pieces)
    if (p.range.Contains(version.Representative())) return p.info;
  return pieces.front().info;
}

std::string ServiceImage::Describe() const {
  if (family == nullptr) return "";
  return fmt::format("{} {}", family->display, version.Describe());
}

namespace {

// A reference that held a variable Compose could not resolve
// ("image: otel/opentelemetry-collector-contrib:${TAG}" with TAG unset)
// names no release.
bool Unresolved(const ComposeService& s) {
  return s.image.tag.empty() && s.image.digest.empty() && s.image.text.value.ends_with(':');
}

ServiceImage Resolve(const Knowledge& knowledge, const ComposeService& s) {
  ServiceImage out;
  out.built = s.has_build;
  if (s.image.text.value.empty()) return out;
  out.family = knowledge.Family(s.image.text.value);
  if (out.family == nullptr) return out;
  const ImageFamily& family = *out.family;
  // A repository of the family that stopped receiving releases: its newest
  // release is the last one before the freeze.
  Version newest = family.newest;
  std::optional<Version> frozen_before;
  for (const auto& [repository, before] : family.frozen) {
    if (repository != s.image.repository && ParseImageReference(s.image.text.value).repository != repository)
      continue;
    frozen_before = before;
    if (before <= newest) {
      newest = before;
      if (newest.patch > 0) --newest.patch;
      else if (newest.minor > 0) newest = Version{newest.major, newest.minor - 1, 0, true};
      else newest = Version{newest.major - 1, 0, 0, true};
    }
  }
  out.version = ResolveImageVersion(s.image.tag, s.image.digest, newest, family.version_parts,
                                    Unresolved(s));
  if (frozen_before && out.version.Known() && !out.version.range.high)
    out.version.range.high = *frozen_before;  // no release after the freeze
  // Split the range at every release where a fact changes.
  VersionRange range = out.version.Known() ? out.version.range
                                           : VersionRange{Version{0, 0, 0, true}, std::nullopt};
  Version start = range.low;
  for (const Version& b : family.boundaries) {
    if (!(start < b)) continue;
    if (range.high && !(b < *range.high)) break;
    out.pieces.push_back({VersionRange{start, b}, knowledge.FactsAt(family, start)});
    start = b;
  }
  out.pieces.push_back({VersionRange{start, range.high}, knowledge.FactsAt(family, start)});
  // A variant chosen by the tag's suffix ships other tools (Grafana "-ubuntu").
  for (const ImageVariant& variant : family.variants) {
    if (variant.tag_suffix.empty() || !s.image.tag.ends_with(variant.tag_suffix)) continue;
    for (ImagePiece& piece : out.pieces) {
      auto copy = std::make_shared<ImageInfo>(*piece.info);
      copy->has_shell = variant.has_shell;
      copy->has_curl = variant.has_curl;
      copy->has_wget = variant.has_wget;
      piece.info = std::move(copy);
    }
    break;
  }
  return out;
}

struct SharedAnalysis {
  int depth = 0;  // open AnalysisScopes
  const Project* project = nullptr;
  const Knowledge* knowledge = nullptr;
  std::shared_ptr<const Analysis> analysis;
};
thread_local SharedAnalysis tl_shared;

}  // namespace

Analysis::Analysis(const Project& project, const Knowledge& knowledge)
    : project_(project), knowledge_(knowledge) {
  const auto& services = project.compose.services;
  images_.reserve(services.size());
  for (const auto& s : services) images_.push_back(Resolve(knowledge, s));
  listening_.resize(services.size());
  piece_listening_.resize(services.size());
  for (size_t i = 0; i < services.size(); ++i) piece_listening_[i].resize(images_[i].pieces.size());
}

Analysis::~Analysis() = default;

std::shared_ptr<const Analysis> Analysis::Of(const Project& project, const Knowledge& knowledge) {
  if (tl_shared.depth == 0) return std::make_shared<const Analysis>(project, knowledge);
  if (tl_shared.project != &project || tl_shared.knowledge != &knowledge || !tl_shared.analysis) {
    tl_shared.project = &project;
    tl_shared.knowledge = &knowledge;
    tl_shared.analysis = std::make_shared<const Analysis>(project, knowledge);
  }
  return tl_shared.analysis;
}

AnalysisScope::AnalysisScope() { ++tl_shared.depth; }

AnalysisScope::~AnalysisScope() {
  if (--tl_shared.depth == 0) tl_shared = SharedAnalysis{};
}

const ServiceImage& Analysis::Image(const ComposeService& service) const {
  return images_[ServiceIndex(project_, service)];
}

const ListenInfo& Analysis::ListeningAt(const ComposeService& service, size_t piece) const {
  const size_t i = ServiceIndex(project_, service);
  auto& slot = piece_listening_[i][piece];
  if (slot) return *slot;
  return slot.emplace(ComputeListening(project_, knowledge_, service, *images_[i].pieces[piece].info));
}

const ListenInfo& Analysis::Listening(const ComposeService& service) const {
  const size_t i = ServiceIndex(project_, service);
  auto& slot = listening_[i];
  if (slot) return *slot;
  const ServiceImage& image = images_[i];
  if (image.pieces.empty()) {
    slot.emplace().why_incomplete = "image not in the knowledge base";
    return *slot;
  }
  std::vector<ListenInfo> per_piece;
  for (size_t p = 0; p < image.pieces.size(); ++p) per_piece.push_back(ListeningAt(service, p));
  return slot.emplace(MergeListening(per_piece));
}

const StackEndpoints& Analysis::Endpoints() const {
  if (!endpoints_) endpoints_ = std::make_unique<StackEndpoints>(*this);
  return *endpoints_;
}

const std::vector<KeyFinding>& Analysis::KeyFindings() const {
  if (!key_findings_) key_findings_ = std::make_unique<std::vector<KeyFinding>>(CheckConfigKeys(*this));
  return *key_findings_;
}

std::vector<const ComposeService*> Analysis::NewerThanKnowledge() const {
  std::vector<const ComposeService*> out;
  for (size_t i = 0; i < images_.size(); ++i)
    if (images_[i].version.kind == TagKind::kNewer) out.push_back(&project_.compose.services[i]);
  return out;
}

}  // namespace obslint
