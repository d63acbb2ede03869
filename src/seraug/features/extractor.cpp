#include "seraug/features/extractor.hpp"

#include <cmath>

#include "seraug/common/error.hpp"

namespace seraug {

struct FeatureExtractor::Impl {
  const FeatureSet* set;
  std::vector<std::string> names;
  std::unique_ptr<FeaturePipeline::Run> run;
};

FeatureExtractor::FeatureExtractor(const FeatureSet& set) : impl_(std::make_unique<Impl>()) {
  impl_->set = &set;
  impl_->names = feature_names(set);
  impl_->run = set.pipeline->start();
}
FeatureExtractor::~FeatureExtractor() = default;
FeatureExtractor::FeatureExtractor(FeatureExtractor&&) noexcept = default;
FeatureExtractor& FeatureExtractor::operator=(FeatureExtractor&&) noexcept = default;

const FeatureSet& FeatureExtractor::set() const { return *impl_->set; }
const std::vector<std::string>& FeatureExtractor::names() const { return impl_->names; }

ContourMatrix FeatureExtractor::contours(AudioStream& audio) { return impl_->run->contours(audio); }

std::vector<double> FeatureExtractor::extract(AudioStream& audio) { return checked(audio, impl_->run->functionals(audio)); }

std::vector<double> FeatureExtractor::checked(AudioStream& audio, std::vector<double> out) const {
  if (out.size() != impl_->names.size())
    throw Error("internal error: feature count " + std::to_string(out.size()) + " != names " + std::to_string(impl_->names.size()));
  for (std::size_t i = 0; i < out.size(); ++i)
    if (!std::isfinite(out[i]))
      throw file_error(audio.info().path, "feature " + impl_->names[i] + " is not finite");
  return out;
}

std::vector<double> FeatureExtractor::extract_file(const std::string& path, const AudioOptions& options) {
  auto audio = AudioStream::open_file(path, options);
  return extract(*audio);
}

}  // namespace seraug
