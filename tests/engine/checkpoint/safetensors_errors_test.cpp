// Every way a safetensors file or folder can be broken is a CheckpointError that names the
// file or tensor and the rule; none crashes or loads a wrong model.
#include <gtest/gtest.h>

#include <cstring>
#include <fstream>
#include <limits>

#include "test_support.h"

namespace blockfp8::engine::test {
namespace {

using nlohmann::json;

class BrokenSafetensors : public testing::Test {
 protected:
  void SetUp() override { write_micro(dir_.path()); }
  fs::path file() const { return dir_ / "model.safetensors"; }
  void edit(const std::function<void(json&)>& f) { edit_safetensors_header(file(), f); }
  std::string error() const { return load_error(dir_.path()); }
  void overwrite(int64_t offset, const std::string& bytes) {
    std::fstream f(file(), std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(offset);
    f.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  }

  TempDir dir_;
};

TEST_F(BrokenSafetensors, IntactFileLoads) { EXPECT_EQ(error(), "(loaded)"); }

TEST_F(BrokenSafetensors, MissingTensor) {
  edit([](json& h) { h.erase("model.layers.1.mlp.down_proj.weight_scale_inv"); });
  EXPECT_CONTAINS(error(), "tensor 'model.layers.1.mlp.down_proj.weight_scale_inv' is missing");
  EXPECT_CONTAINS(error(), "model.safetensors");
}

TEST_F(BrokenSafetensors, WrongDtype) {
  edit([](json& h) { h["model.norm.weight"]["dtype"] = "F16"; });
  EXPECT_CONTAINS(error(), "model.safetensors: tensor 'model.norm.weight' has dtype F16, expected BF16");
}

TEST_F(BrokenSafetensors, WeightNotFp8) {
  edit([](json& h) { h["model.layers.0.self_attn.o_proj.weight"]["dtype"] = "I8"; });
  EXPECT_CONTAINS(error(), "'model.layers.0.self_attn.o_proj.weight' has dtype I8, expected F8_E4M3");
}

TEST_F(BrokenSafetensors, ScaleDtypeNotFloat) {
  edit([](json& h) { h["model.layers.0.mlp.up_proj.weight_scale_inv"]["dtype"] = "I32"; });
  EXPECT_CONTAINS(error(), "'model.layers.0.mlp.up_proj.weight_scale_inv' has dtype I32, expected F32, BF16 or F16");
}

TEST_F(BrokenSafetensors, WrongShape) {
  edit([](json& h) { h["model.layers.0.self_attn.q_norm.weight"]["shape"] = {2, 64}; });
  EXPECT_CONTAINS(error(), "'model.layers.0.self_attn.q_norm.weight' has shape [2, 64], expected [128]");
}

TEST_F(BrokenSafetensors, WrongScaleShape) {
  edit([](json& h) { h["model.layers.0.self_attn.q_proj.weight_scale_inv"]["shape"] = {4, 1}; });
  EXPECT_CONTAINS(error(), "'model.layers.0.self_attn.q_proj.weight_scale_inv' has shape [4, 1], expected [2, 2]");
}

TEST_F(BrokenSafetensors, TruncatedFile) {
  fs::resize_file(file(), fs::file_size(file()) - 1000);
  EXPECT_CONTAINS(error(), "run past the end of the data");
  EXPECT_CONTAINS(error(), "truncated");
}

TEST_F(BrokenSafetensors, HeaderLengthPastEndOfFile) {
  const uint64_t size = fs::file_size(file());
  std::string length(8, '\0');
  for (int i = 0; i < 8; ++i) length[i] = static_cast<char>((size >> (8 * i)) & 0xFF);
  overwrite(0, length);
  EXPECT_CONTAINS(error(), "model.safetensors: header length " + std::to_string(size) +
                               " runs past the end of the file");
}

TEST_F(BrokenSafetensors, FileShorterThanHeaderLength) {
  fs::resize_file(file(), 5);
  EXPECT_CONTAINS(error(), "model.safetensors: file is 5 bytes, too short for the 8-byte header length");
}

TEST_F(BrokenSafetensors, InvalidJsonHeader) {
  overwrite(8, "#");
  EXPECT_CONTAINS(error(), "model.safetensors: header is not valid JSON");
}

TEST_F(BrokenSafetensors, HeaderNotAnObject) {
  edit([](json& h) { h = json::array({1, 2}); });
  EXPECT_CONTAINS(error(), "model.safetensors: header is not a JSON object");
}

TEST_F(BrokenSafetensors, OverlappingOffsets) {
  edit([](json& h) {
    h["model.layers.0.post_attention_layernorm.weight"]["data_offsets"] =
        h["model.layers.0.input_layernorm.weight"]["data_offsets"];
  });
  EXPECT_CONTAINS(error(), "overlap");
  EXPECT_CONTAINS(error(), "model.layers.0.input_layernorm.weight");
}

TEST_F(BrokenSafetensors, OffsetsOutOfRange) {
  const int64_t data_size = 1 << 30;
  edit([&](json& h) { h["model.norm.weight"]["data_offsets"] = {data_size, data_size + 512}; });
  EXPECT_CONTAINS(error(), "tensor 'model.norm.weight': data_offsets [1073741824, 1073742336] run past the end");
}

TEST_F(BrokenSafetensors, OffsetsEndBeforeBegin) {
  edit([](json& h) { h["model.norm.weight"]["data_offsets"] = {512, 0}; });
  EXPECT_CONTAINS(error(), "tensor 'model.norm.weight': data_offsets [512, 0] end before they begin");
}

TEST_F(BrokenSafetensors, OffsetsDisagreeWithShape) {
  edit([](json& h) {
    const int64_t begin = h["model.norm.weight"]["data_offsets"][0];
    h["model.norm.weight"]["data_offsets"] = {begin, begin + 500};
  });
  EXPECT_CONTAINS(error(), "'model.norm.weight': data_offsets span 500 bytes but BF16 [256] needs 512");
}

TEST_F(BrokenSafetensors, NegativeDimension) {
  edit([](json& h) { h["model.norm.weight"]["shape"] = {-256}; });
  EXPECT_CONTAINS(error(), "'model.norm.weight': shape must hold non-negative integers, got -256");
}

TEST_F(BrokenSafetensors, UnknownDtype) {
  edit([](json& h) { h["model.norm.weight"]["dtype"] = "F8_E3M4"; });
  EXPECT_CONTAINS(error(), "'model.norm.weight': unknown dtype 'F8_E3M4'");
}

TEST_F(BrokenSafetensors, EntryWithoutOffsets) {
  edit([](json& h) { h["model.norm.weight"].erase("data_offsets"); });
  EXPECT_CONTAINS(error(), "'model.norm.weight': header entry needs 'data_offsets' [begin, end]");
}

TEST_F(BrokenSafetensors, MetadataIsIgnored) {
  edit([](json& h) { h["__metadata__"] = {{"format", "pt"}, {"anything", "goes"}}; });
  EXPECT_EQ(error(), "(loaded)");
}

// The bytes of tensor `name` start here in the file.
int64_t data_offset(const fs::path& file, const std::string& name) {
  const std::string bytes = read_file(file);
  uint64_t length = 0;
  for (int i = 7; i >= 0; --i) length = (length << 8) | static_cast<unsigned char>(bytes[i]);
  const json header = json::parse(bytes.substr(8, length));
  return 8 + static_cast<int64_t>(length) + header[name]["data_offsets"][0].get<int64_t>();
}

TEST_F(BrokenSafetensors, NonFiniteScale) {
  const std::string name = "model.layers.1.mlp.gate_proj.weight_scale_inv";
  const float nan = std::numeric_limits<float>::quiet_NaN();
  std::string bytes(4, '\0');
  std::memcpy(bytes.data(), &nan, 4);
  overwrite(data_offset(file(), name) + 4, bytes);  // the second scale: block [0, 1]
  EXPECT_CONTAINS(error(), "model.safetensors: tensor '" + name + "' holds a non-finite scale (nan) at block [0, 1]");
}

// A tensor no part of the model reads (here a q_proj bias, as Qwen2 checkpoints have) would be
// ignored without a word: the folder is refused.
TEST_F(BrokenSafetensors, UnreadTensor) {
  edit([](json& h) {
    const json end = h["model.norm.weight"]["data_offsets"][1];
    h["model.layers.0.self_attn.q_proj.bias"] = {{"dtype", "BF16"}, {"shape", {0}}, {"data_offsets", {end, end}}};
  });
  EXPECT_CONTAINS(error(), "model.safetensors: tensor 'model.layers.0.self_attn.q_proj.bias' is not part of the Qwen3 "
                           "model config.json describes (1 such tensors)");
}

// What exporters save beside the model and the engine may ignore: a tied lm_head's copy and
// RoPE frequency buffers.
TEST_F(BrokenSafetensors, TiedLmHeadCopyAndRopeBuffersAreIgnored) {
  edit([](json& h) {
    const json end = h["model.norm.weight"]["data_offsets"][1];
    h["lm_head.weight"] = {{"dtype", "BF16"}, {"shape", {0}}, {"data_offsets", {end, end}}};
    h["model.layers.0.self_attn.rotary_emb.inv_freq"] = {
        {"dtype", "F32"}, {"shape", {0}}, {"data_offsets", {end, end}}};
  });
  EXPECT_EQ(error(), "(loaded)");
}

TEST(BrokenFolder, NotADirectory) {
  EXPECT_CONTAINS(load_error("/nonexistent/blockfp8-model"), "/nonexistent/blockfp8-model: not a directory");
}

TEST(BrokenFolder, MissingConfig) {
  TempDir dir;
  write_micro(dir.path());
  fs::remove(dir / "config.json");
  EXPECT_CONTAINS(load_error(dir.path()), "config.json: not found");
}

TEST(BrokenFolder, MissingWeights) {
  TempDir dir;
  write_micro(dir.path());
  fs::remove(dir / "model.safetensors");
  EXPECT_CONTAINS(load_error(dir.path()), "no model.safetensors and no model.safetensors.index.json");
}

class BrokenShards : public testing::Test {
 protected:
  void SetUp() override {
    synth::SynthOptions options;
    options.shard_size_gb = 0.0003;
    write_micro(dir_.path(), options);
    index_ = nlohmann::json::parse(read_file(dir_ / "model.safetensors.index.json"));
  }
  // The shard the index puts `tensor` in.
  std::string shard_of(const std::string& tensor) const { return index_["weight_map"][tensor]; }

  TempDir dir_;
  nlohmann::json index_;
};

TEST_F(BrokenShards, IntactShardsLoad) { EXPECT_EQ(load_error(dir_.path()), "(loaded)"); }

TEST_F(BrokenShards, MissingShard) {
  const std::string shard = shard_of("model.layers.1.mlp.up_proj.weight");
  fs::remove(dir_ / shard);
  EXPECT_CONTAINS(load_error(dir_.path()), shard + ": missing (named by model.safetensors.index.json)");
}

TEST_F(BrokenShards, IndexPointsToTheWrongShard) {
  const std::string first_shard = shard_of("model.embed_tokens.weight");
  ASSERT_NE(first_shard, shard_of("model.norm.weight"));
  edit_json_file(dir_ / "model.safetensors.index.json",
                 [&](json& j) { j["weight_map"]["model.norm.weight"] = first_shard; });
  EXPECT_CONTAINS(load_error(dir_.path()), "model.safetensors.index.json puts tensor 'model.norm.weight' in " +
                                               first_shard + ", which has no such tensor");
}

TEST_F(BrokenShards, IndexLeavesTheFolder) {
  edit_json_file(dir_ / "model.safetensors.index.json", [](json& j) {
    j["weight_map"]["model.norm.weight"] = "../elsewhere.safetensors";
  });
  EXPECT_CONTAINS(load_error(dir_.path()), "weight_map['model.norm.weight'] must be a file name in the model folder");
}

TEST_F(BrokenShards, IndexWithoutWeightMap) {
  edit_json_file(dir_ / "model.safetensors.index.json", [](json& j) { j.erase("weight_map"); });
  EXPECT_CONTAINS(load_error(dir_.path()), "model.safetensors.index.json: needs an object 'weight_map'");
}

TEST_F(BrokenShards, TensorMissingFromIndex) {
  edit_json_file(dir_ / "model.safetensors.index.json", [](json& j) { j["weight_map"].erase("model.norm.weight"); });
  EXPECT_CONTAINS(load_error(dir_.path()), "tensor 'model.norm.weight' is missing (not in model.safetensors.index.json)");
}

}  // namespace
}  // namespace blockfp8::engine::test
