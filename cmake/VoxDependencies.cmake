# Every third-party library vox links, found in one place.
find_package(PkgConfig REQUIRED)
find_package(Threads REQUIRED)
find_package(nlohmann_json 3 REQUIRED)

pkg_check_modules(FFMPEG REQUIRED IMPORTED_TARGET libavformat libavcodec libswresample libavutil)
pkg_check_modules(HTTPLIB REQUIRED IMPORTED_TARGET cpp-httplib)

# pocketsphinx.pc names an include directory that does not exist, so build the target by hand.
find_library(POCKETSPHINX_LIB pocketsphinx REQUIRED)
find_library(SPHINXBASE_LIB sphinxbase REQUIRED)
add_library(vox_pocketsphinx INTERFACE)
target_include_directories(vox_pocketsphinx INTERFACE /usr/include/pocketsphinx /usr/include/sphinxbase)
target_link_libraries(vox_pocketsphinx INTERFACE ${POCKETSPHINX_LIB} ${SPHINXBASE_LIB})
set(VOX_SPHINX_MODEL_DIR "/usr/share/pocketsphinx/model/en-us" CACHE PATH "pocketsphinx-en-us model")
include(VoxOnnxRuntime)
