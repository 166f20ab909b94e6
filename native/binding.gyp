{
  "targets": [
    {
      "target_name": "romgfx_native",
      "sources": [
        "src/addon.cc",
        "src/deflate.cc",
        "src/file_read.cc",
        "src/hal_decode.cc",
        "src/hal_encode.cc",
        "src/hal_matches.cc",
        "src/hashes.cc",
        "src/inflate.cc",
        "src/konami1_decode.cc",
        "src/map_guard.cc",
        "src/nemesis_decode.cc",
        "src/png_samples.cc",
        "src/sega_lz_decode.cc",
        "src/tiles.cc"
      ],
      "cflags": ["-O3"],
      "cflags_cc": ["-O3", "-std=c++17", "-fno-exceptions", "-fno-rtti", "-Wall", "-Wextra"],
      "defines": ["NAPI_VERSION=8"]
    }
  ]
}
