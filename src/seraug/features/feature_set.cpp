#include "seraug/features/feature_set.hpp"

#include "seraug/common/error.hpp"
#include "seraug/features/compare.hpp"
#include "seraug/features/framewise.hpp"
#include "seraug/features/fused.hpp"
#include "seraug/features/gemaps.hpp"
#include "seraug/features/is10.hpp"

namespace seraug {
namespace {

// INTERSPEECH 2009 Emotion Challenge (Schuller, Steidl, Batliner 2009): 16 LLDs
// (RMS energy, MFCC 1-12, ZCR, voicing probability, F0) and their deltas, smoothed by
// a 3-frame moving average, times 12 functionals = 384 features. Parameter values as in
// openSMILE's IS09_emotion configuration (positions in frames, the plain regression line).
FramewiseSpec is09_spec() {
  FramewiseSpec s;
  s.llds = {
      {LldKind::RmsEnergy, "pcm_RMSenergy"},
      {LldKind::Mfcc, "pcm_fftMag_mfcc", MfccParams{26, 0.0, 8000.0, 1, 12, 22.0}},
      {LldKind::ZeroCrossingRate, "pcm_zcr"},
      {LldKind::VoicingProbability, "voiceProb", {}, PitchParams{500.0, 0.55}},
      {LldKind::PitchAcf, "F0", {}, PitchParams{500.0, 0.55}},
  };
  s.functionals = {"max", "min", "range", "maxPos", "minPos", "amean",
                   "linregc1", "linregc2", "linregerrQ", "stddev", "skewness", "kurtosis"};
  return s;
}

// The single sets, one entry each.
std::vector<FeatureSet> single_sets() {
  return {
      {"is09", "INTERSPEECH 2009 Emotion Challenge set, 384 functionals (openSMILE IS09_emotion)", 1,
       framewise_pipeline(is09_spec())},
      // extended Geneva Minimalistic Acoustic Parameter Set v02 (Eyben et al. 2016): 88
      // functionals of 25 LLDs (gemaps.cpp). Version 2: openSMILE-faithful formants and
      // pitch smoothing; version 3: the formants' resampling weighs DC as openSMILE's does.
      {"egemaps", "extended Geneva Minimalistic Acoustic Parameter Set v02, 88 functionals (openSMILE eGeMAPSv02)", 3,
       gemaps_pipeline()},
      // INTERSPEECH 2010 Paralinguistic Challenge set: 1582 functionals of 38 LLDs
      // (is10.cpp). Version 2: pitch-gated deltas with openSMILE's running normaliser;
      // version 3: loudness of the frame's first sample, as openSMILE's cIntensity
      // computes it for this set, and the LSFs' resampling weighs DC as openSMILE's does.
      {"is10", "INTERSPEECH 2010 Paralinguistic Challenge set, 1582 functionals (openSMILE IS10_paraling)", 3, is10_pipeline()},
      // INTERSPEECH 2016 ComParE set: 6373 functionals of 65 LLDs (compare.cpp).
      {"compare", "INTERSPEECH 2016 ComParE set, 6373 functionals (openSMILE ComParE_2016)", 1, compare_pipeline()},
  };
}

// Early fusion of single sets (fused.hpp); its version moves with any member's.
FeatureSet fused_set(const std::vector<FeatureSet>& singles, const std::vector<std::string>& members, const std::string& description) {
  FeatureSet fused{"", description, 0, nullptr};
  std::vector<FusedMember> parts;
  for (const auto& name : members)
    for (const auto& s : singles)
      if (s.name == name) {
        fused.name += (fused.name.empty() ? "" : "+") + name;
        fused.version = fused.version * 100 + s.version;
        parts.push_back({name, s.pipeline});
      }
  fused.pipeline = fused_pipeline(std::move(parts));
  return fused;
}

// The registry: one entry per set.
const std::vector<FeatureSet>& registry() {
  static const std::vector<FeatureSet> sets = [] {
    std::vector<FeatureSet> all = single_sets();
    // The best recipe's input (docs/evaluation.md).
    all.push_back(fused_set(all, {"is10", "compare"}, "IS10 and ComParE fused: 7955 functionals, columns tagged is10: and compare:"));
    return all;
  }();
  return sets;
}

}  // namespace

const FeatureSet& feature_set(std::string_view name) {
  for (const auto& s : registry())
    if (s.name == name) return s;
  std::string known;
  for (const auto& s : registry()) known += (known.empty() ? "" : ", ") + s.name;
  throw Error("unknown feature set '" + std::string(name) + "' (known: " + known + ")");
}

std::vector<std::string> feature_set_names() {
  std::vector<std::string> names;
  for (const auto& s : registry()) names.push_back(s.name);
  return names;
}

std::vector<std::string> feature_names(const FeatureSet& set) { return set.pipeline->names(); }

}  // namespace seraug
