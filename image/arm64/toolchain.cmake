# Cross-compiling for arm64 (Raspberry Pi 3/4) with Debian's cross toolchain, inside the build
# root that scripts/build-arm64 makes: amd64 tools plus the arm64 (multiarch) -dev packages.
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)
set(CMAKE_C_COMPILER aarch64-linux-gnu-gcc)
set(CMAKE_CXX_COMPILER aarch64-linux-gnu-g++)
set(CMAKE_LIBRARY_ARCHITECTURE aarch64-linux-gnu)
# pkgconf:arm64 installs this wrapper: it reads only the arm64 .pc files.
set(PKG_CONFIG_EXECUTABLE /usr/bin/aarch64-linux-gnu-pkg-config CACHE FILEPATH "")
# The unit tests (and Catch2's test discovery) run the arm64 binaries through qemu-user.
set(CMAKE_CROSSCOMPILING_EMULATOR /usr/bin/qemu-aarch64-static)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
# The .deb says arm64, whatever the build machine's dpkg says.
set(CPACK_DEBIAN_PACKAGE_ARCHITECTURE arm64)
