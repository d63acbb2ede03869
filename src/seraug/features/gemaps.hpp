// The extended Geneva Minimalistic Acoustic Parameter Set, eGeMAPS v02 (Eyben et al.,
// IEEE Trans. Affective Computing 2016): 25 low-level descriptors on two frame
// grids (20 ms Hamming frames for energy/spectral descriptors, 60 ms Gaussian frames
// for pitch and voice quality, both every 10 ms), smoothed over 3 frames, and 88
// functionals over voiced, unvoiced or all frames, in openSMILE's names and order.
//
// The whole utterance is held in memory: the pitch contour is chosen by a Viterbi
// search over all frames before the F0-dependent descriptors are computed.
#pragma once

#include <memory>
#include <span>
#include <string>
#include <vector>

#include "seraug/features/contours.hpp"
#include "seraug/features/feature_set.hpp"

namespace seraug {

// Columns of the frame-level descriptor matrix.
enum GemapsLld : int {
  kF0Semitone, kJitter, kShimmer, kHnr, kH1H2, kH1A3,
  kF1Freq, kF1Bandwidth, kF1Amplitude, kF2Freq, kF2Bandwidth, kF2Amplitude,
  kF3Freq, kF3Bandwidth, kF3Amplitude,
  kLoudness, kAlphaRatio, kHammarberg, kSlope0To500, kSlope500To1500, kSpectralFlux,
  kMfcc1, kMfcc2, kMfcc3, kMfcc4, kFrameEnergy,
  kGemapsLldCount
};

struct GemapsLlds {
  ContourMatrix values;     // frames of the 20 ms grid x kGemapsLldCount
  int pitch_frames = 0;     // rows of the 60 ms grid (a prefix); F0-based columns are 0 beyond
  double frame_seconds = 0.01;
};

// Throws seraug::Error when the signal is shorter than one 60 ms frame.
GemapsLlds gemaps_llds(std::span<const float> signal, double rate_hz);

// The 88 output names, in openSMILE's order.
const std::vector<std::string>& gemaps_names();

// One value per name.
std::vector<double> gemaps_functionals(const GemapsLlds& llds);

// The set's pipeline for its registry entry (feature_set.cpp); its contours() shows the
// raw values matrix.
std::shared_ptr<const FeaturePipeline> gemaps_pipeline();

}  // namespace seraug
