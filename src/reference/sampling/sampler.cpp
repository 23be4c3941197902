#include "reference/sampling/sampler.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <string>

#include "blockfp8/errors.h"

namespace blockfp8::ref {
namespace {

constexpr float kRemoved = -std::numeric_limits<float>::infinity();

[[noreturn]] void fail(const std::string& message) {
  throw Error(ErrorCode::kInvalidArgument, "sampler: " + message);
}

// softmax over the tokens not removed (removed ones get 0), in double.
std::vector<double> softmax(const std::vector<float>& z) {
  const float zmax = *std::max_element(z.begin(), z.end());
  std::vector<double> p(z.size());
  double sum = 0;
  for (size_t i = 0; i < z.size(); ++i) sum += p[i] = z[i] == kRemoved ? 0.0 : std::exp(double(z[i]) - zmax);
  for (double& v : p) v /= sum;
  return p;
}

// HF's TopKLogitsWarper: keep z >= the k-th largest (ties at the boundary survive).
void top_k(std::vector<float>& z, int64_t k) {
  if (k <= 0 || k >= static_cast<int64_t>(z.size())) return;
  std::vector<float> sorted = z;
  std::nth_element(sorted.begin(), sorted.begin() + (k - 1), sorted.end(), std::greater<float>());
  const float kth = sorted[static_cast<size_t>(k - 1)];
  for (float& v : z)
    if (v < kth) v = kRemoved;
}

// HF's TopPLogitsWarper: in ascending order, drop tokens while the cumulative probability
// (including the token) is <= 1 - p; the most likely token always stays. Equal logits are
// ordered by id, the lower id counting as the more likely one.
void top_p(std::vector<float>& z, double p) {
  if (p >= 1.0) return;
  const std::vector<double> prob = softmax(z);
  std::vector<int32_t> order(z.size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](int32_t a, int32_t b) { return z[a] != z[b] ? z[a] < z[b] : a > b; });
  double cumulative = 0;
  for (size_t i = 0; i + 1 < order.size(); ++i) {
    cumulative += prob[order[i]];
    if (cumulative > 1.0 - p) break;
    z[order[i]] = kRemoved;
  }
}

// HF's MinPLogitsWarper: drop tokens less likely than min_p times the most likely one.
void min_p(std::vector<float>& z, double min_p) {
  if (min_p <= 0.0) return;
  const std::vector<double> prob = softmax(z);
  const double threshold = min_p * *std::max_element(prob.begin(), prob.end());
  for (size_t i = 0; i < z.size(); ++i)
    if (prob[i] < threshold) z[i] = kRemoved;
}

}  // namespace

int32_t argmax(std::span<const float> logits) {
  if (logits.empty()) fail("empty logits");
  int32_t best = 0;
  for (size_t i = 0; i < logits.size(); ++i) {
    if (std::isnan(logits[i])) fail("logit " + std::to_string(i) + " is NaN");
    if (logits[i] > logits[best]) best = static_cast<int32_t>(i);
  }
  return best;
}

Sampler::Sampler(const SamplingParams& params) : params_(params), rng_(params.seed) {
  if (!(params.temperature >= 0.0) || !std::isfinite(params.temperature))
    fail("temperature = " + std::to_string(params.temperature) + ", must be finite and >= 0 (0: greedy)");
  if (params.top_k < 0) fail("top_k = " + std::to_string(params.top_k) + ", must be >= 0 (0: off)");
  if (!(params.top_p > 0.0 && params.top_p <= 1.0))
    fail("top_p = " + std::to_string(params.top_p) + ", must be in (0, 1] (1: off)");
  if (!(params.min_p >= 0.0 && params.min_p <= 1.0))
    fail("min_p = " + std::to_string(params.min_p) + ", must be in [0, 1] (0: off)");
}

bool Sampler::greedy() const { return !params_.do_sample || params_.temperature == 0.0; }

std::vector<double> Sampler::distribution(std::span<const float> logits) const {
  const int32_t best = argmax(logits);  // also rejects empty and NaN logits
  if (!std::isfinite(logits[best])) fail("the largest logit is " + std::to_string(logits[best]) + ", must be finite");
  if (greedy()) {
    std::vector<double> one_hot(logits.size(), 0.0);
    one_hot[static_cast<size_t>(best)] = 1.0;
    return one_hot;
  }
  const float temperature = static_cast<float>(params_.temperature);
  std::vector<float> z(logits.size());
  for (size_t i = 0; i < z.size(); ++i) z[i] = logits[i] / temperature;
  if (!std::isfinite(z[best]))
    fail("temperature = " + std::to_string(params_.temperature) + " overflows the logits; use 0 for greedy");
  top_k(z, params_.top_k);
  top_p(z, params_.top_p);
  min_p(z, params_.min_p);
  return softmax(z);
}

int32_t Sampler::sample(std::span<const float> logits) {
  if (greedy()) return argmax(logits);
  const std::vector<double> prob = distribution(logits);
  // 53 random bits -> u in [0, 1): the same on every platform (std::uniform_real_distribution is not).
  const double u = static_cast<double>(rng_() >> 11) * 0x1.0p-53;
  double cumulative = 0;
  int32_t last_kept = 0;
  for (size_t i = 0; i < prob.size(); ++i) {
    if (prob[i] == 0.0) continue;
    cumulative += prob[i];
    last_kept = static_cast<int32_t>(i);
    if (u < cumulative) return last_kept;
  }
  return last_kept;  // u beyond the rounded total: the last token with probability > 0
}

}  // namespace blockfp8::ref
