// The INTERSPEECH 2010 Paralinguistic Challenge set (Schuller et al. 2010), IS10:
// 1582 functionals in openSMILE's names and order (its IS10_paraling configuration).
//
// Two groups of low-level descriptors on a 10 ms grid:
//  - 34 LLDs over all frames: loudness, MFCC 0-14, 8 log mel bands, 8 line spectral
//    frequencies (25 ms Hamming frames) and the F0 envelope and voicing probability
//    of subharmonic-summation pitch (60 ms Gaussian frames), 3-frame smoothed, and
//    their deltas: 68 contours x 21 functionals = 1428.
//  - 4 pitch-gated LLDs: F0, local jitter, DDP jitter and local shimmer, smoothed over
//    non-zero frames only, deltas only inside voiced segments: 8 contours x 19
//    functionals over their non-zero frames = 152.
// plus the F0 onset rate and the duration. The whole utterance is held in memory.
#pragma once

#include <memory>
#include <span>
#include <string>
#include <vector>

#include "seraug/features/contours.hpp"
#include "seraug/features/feature_set.hpp"

namespace seraug {

struct Is10Llds {
  ContourMatrix all_frames;  // raw (unsmoothed) LLDs of the first group
  ContourMatrix voiced;      // raw LLDs of the pitch-gated group (0 when unvoiced)
  double frame_seconds = 0.01;
};

// Throws seraug::Error when the signal is shorter than a few 60 ms frames.
Is10Llds is10_llds(std::span<const float> signal, double rate_hz);

// Output names in openSMILE's order; one value per name.
const std::vector<std::string>& is10_names();
std::vector<double> is10_functionals(const Is10Llds& llds);

// The set's pipeline for its registry entry (feature_set.cpp); its contours() shows the
// raw all_frames matrix.
std::shared_ptr<const FeaturePipeline> is10_pipeline();

}  // namespace seraug
