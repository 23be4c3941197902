#include "engine/synth/e4m3_table.h"

#include <bit>

#include "reference/fp8.h"

namespace blockfp8::engine::synth {

E4m3Table::E4m3Table() {
  for (uint32_t index = 0; index < (1u << 14); ++index) {
    // The representative: the entry's top 13 bits, and the lowest bit set when sticky.
    const uint32_t bits = ((index >> 1) << 19) | (index & 1u);
    codes_[index] = ref::float_to_e4m3(std::bit_cast<float>(bits));
  }
}

const E4m3Table& E4m3Table::instance() {
  static const E4m3Table table;
  return table;
}

}  // namespace blockfp8::engine::synth
