// The synth writer's table-driven e4m3 encoder gives the reference codec's answer.
#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <limits>

#include "engine/synth/e4m3_table.h"
#include "engine/synth/random.h"
#include "reference/fp8.h"

namespace blockfp8::engine::synth {
namespace {

TEST(E4m3Table, MatchesReferenceOnRandomFloats) {
  const E4m3Table& table = E4m3Table::instance();
  for (uint64_t i = 0; i < 4'000'000; ++i) {
    uint32_t bits = static_cast<uint32_t>(mix64(i));
    // Every other sample in [2^-12, 2^10): where the rounding cases (subnormal, ties,
    // saturation at 448) are.
    if (i % 2) bits = (bits & 0x807FFFFFu) | ((115u + static_cast<uint32_t>(mix64(~i) % 22)) << 23);
    const float x = std::bit_cast<float>(bits);
    ASSERT_EQ(table.encode(x), ref::float_to_e4m3(x)) << std::hexfloat << x;
  }
}

TEST(E4m3Table, MatchesReferenceOnEdgeValues) {
  const E4m3Table& table = E4m3Table::instance();
  const float edges[] = {0.0f, -0.0f, 448.0f, 464.0f, 480.0f, -480.0f, 0x1p-9f, 0x1p-10f,
                         0x1.8p-10f, 0x1.1p-10f, 0x1p-6f, 0x1.1p-6f, 0x1.18p-6f, 1.0625f, 1.1875f,
                         std::numeric_limits<float>::infinity(), -std::numeric_limits<float>::infinity(),
                         std::numeric_limits<float>::quiet_NaN(), std::numeric_limits<float>::denorm_min()};
  for (float x : edges) EXPECT_EQ(table.encode(x), ref::float_to_e4m3(x)) << std::hexfloat << x;
}

}  // namespace
}  // namespace blockfp8::engine::synth
