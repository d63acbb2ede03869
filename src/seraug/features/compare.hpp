// The INTERSPEECH 2016 Computational Paralinguistics Challenge set, ComParE 2016
// (Schuller et al. 2016; first used in 2013): 6373 functionals in openSMILE's names and
// order (its compare16/ComParE_2016 configuration).
//
// 65 low-level descriptors every 10 ms:
//  - 59 over all frames: the L1 norms of the auditory spectrum and of its RASTA-filtered
//    version, RMS energy, zero-crossing rate (60 ms frames), the 26 RASTA-filtered
//    auditory bands, 15 spectral descriptors of the 20 ms Hamming spectrum (two band
//    energies, four roll-off points, flux, centroid, entropy, variance, skewness,
//    kurtosis, slope, psychoacoustic sharpness, harmonicity) and MFCC 1-14; smoothed over
//    3 frames. 54 functionals each and 46 over each delta: 3186 + 2714.
//  - 6 pitch-gated ones from 60 ms Gaussian frames: F0 (subharmonic summation, Viterbi
//    smoothing, energy gate), voicing, local and DDP jitter, local shimmer and log HNR;
//    smoothed over non-zero frames. 39 functionals over the non-zero frames of each and of
//    each delta (429), plus 5 over the whole F0 contour (share and lengths of voiced
//    segments).
// The whole utterance is held in memory.
#pragma once

#include <memory>
#include <span>
#include <string>
#include <vector>

#include "seraug/features/contours.hpp"
#include "seraug/features/feature_set.hpp"

namespace seraug {

// The columns of CompareLlds (kept in a namespace of their own: eGeMAPS's LLD indices
// share some names).
namespace compare_layout {
constexpr int kBands = 26, kMfccCount = 14;

enum SpectralLld : int {
  kAudspecSum, kRastaSum, kRmsEnergy, kZcr, kEnergyGroupCount,
  kRasta0 = kEnergyGroupCount, kBand250To650 = kRasta0 + kBands, kBand1000To4000,
  kRollOff25, kRollOff50, kRollOff75, kRollOff90, kFlux, kCentroid, kEntropy, kVariance,
  kSkewness, kKurtosis, kSlope, kSharpness, kHarmonicity, kMfcc1, kSpectralCount = kMfcc1 + kMfccCount
};
enum VoiceLld : int { kF0, kVoicing, kJitterLocal, kJitterDdp, kShimmerLocal, kLogHnr, kVoiceCount };
}  // namespace compare_layout

struct CompareLlds {
  ContourMatrix spectral;  // raw LLDs of the all-frames group, openSMILE's contour order
  ContourMatrix voice;     // raw pitch-gated LLDs (0 when unvoiced)
  double frame_seconds = 0.01;
};

// Throws seraug::Error when the signal is shorter than a few 60 ms frames.
CompareLlds compare_llds(std::span<const float> signal, double rate_hz);

// Output names in openSMILE's order; one value per name.
const std::vector<std::string>& compare_names();
std::vector<double> compare_functionals(const CompareLlds& llds);

// The set's pipeline for its registry entry (feature_set.cpp); its contours() shows the
// raw spectral matrix.
std::shared_ptr<const FeaturePipeline> compare_pipeline();

}  // namespace seraug
