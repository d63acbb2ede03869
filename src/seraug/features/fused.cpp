#include "seraug/features/fused.hpp"

#include <algorithm>

#include "seraug/common/error.hpp"

namespace seraug {
namespace {

// Replays samples already read, with the original stream's description (so messages
// still name the file).
class ReplayStream final : public AudioStream {
 public:
  ReplayStream(const AudioInfo& info, const std::vector<float>& samples) : info_(info), samples_(samples) {}
  const AudioInfo& info() const override { return info_; }
  std::size_t read(std::span<float> out) override {
    const std::size_t n = std::min(out.size(), samples_.size() - next_);
    std::copy_n(samples_.begin() + static_cast<std::ptrdiff_t>(next_), n, out.begin());
    next_ += n;
    return n;
  }

 private:
  AudioInfo info_;
  const std::vector<float>& samples_;
  std::size_t next_ = 0;
};

class FusedPipeline final : public FeaturePipeline {
 public:
  explicit FusedPipeline(std::vector<FusedMember> members) : members_(std::move(members)) {
    if (members_.size() < 2) throw Error("a fused feature set needs at least two members");
  }

  std::vector<std::string> names() const override {
    std::vector<std::string> out;
    for (const auto& m : members_)
      for (const auto& n : m.pipeline->names()) out.push_back(m.name + ":" + n);
    return out;
  }

  class FusedRun final : public Run {
   public:
    explicit FusedRun(const std::vector<FusedMember>& members) {
      for (const auto& m : members) runs_.push_back(m.pipeline->start());
    }
    ContourMatrix contours(AudioStream& audio) override {
      throw Error(audio.info().path + ": a fused feature set has no single contour matrix; inspect its members' contours");
    }
    std::vector<double> functionals(AudioStream& audio) override {
      const std::vector<float> samples = read_all_samples(audio);
      std::vector<double> out;
      for (auto& run : runs_) {
        ReplayStream replay(audio.info(), samples);
        const auto values = run->functionals(replay);
        out.insert(out.end(), values.begin(), values.end());
      }
      return out;
    }

   private:
    std::vector<std::unique_ptr<Run>> runs_;
  };

  std::unique_ptr<Run> start() const override { return std::make_unique<FusedRun>(members_); }

 private:
  std::vector<FusedMember> members_;
};

}  // namespace

std::shared_ptr<const FeaturePipeline> fused_pipeline(std::vector<FusedMember> members) {
  return std::make_shared<FusedPipeline>(std::move(members));
}

}  // namespace seraug
