// Fast float -> e4m3 for the synth writer, bit-identical to ref::float_to_e4m3 by construction.
//
// Round-to-nearest-even to e4m3 looks only at the sign, the exponent, the top 4 mantissa bits
// (the 3 kept bits and the round bit, or for e4m3 subnormals fewer kept bits with the round
// bit still among them) and whether any lower bit is set (sticky). A table over those 14 bits,
// filled by calling the reference codec on one representative float per entry, therefore
// gives the reference's answer for every float, NaN and infinity included.
#pragma once

#include <bit>
#include <cstdint>

namespace blockfp8::engine::synth {

class E4m3Table {
 public:
  static const E4m3Table& instance();
  uint8_t encode(float x) const;

 private:
  E4m3Table();
  static uint32_t index_of(uint32_t bits);
  uint8_t codes_[1u << 14];
};

inline uint32_t E4m3Table::index_of(uint32_t bits) {
  const uint32_t top = bits >> 19;                     // sign, exponent, top 4 mantissa bits
  const uint32_t sticky = (bits & 0x7FFFFu) != 0u;     // any of the 19 lower mantissa bits
  return (top << 1) | sticky;
}

inline uint8_t E4m3Table::encode(float x) const { return codes_[index_of(std::bit_cast<uint32_t>(x))]; }

}  // namespace blockfp8::engine::synth
