# The nestbox .deb (CPack):  scripts/package  (or: cmake --build BUILD --target package)
# Installs the daemon and media worker, nestboxctl, the web app, the units, users and
# directories, the D-Bus policy, the udev rule and the nginx site; depends on Debian's
# packages only. Data in /var/lib/nestbox stays across upgrades and removal; purge removes it.

# The web app is built by scripts/build-web (npm), not by CMake.
set(NESTBOX_WEB_DIST "${CMAKE_SOURCE_DIR}/web/dist" CACHE PATH "The built web app (scripts/build-web)")
install(CODE "if(NOT EXISTS \"${NESTBOX_WEB_DIST}/index.html\")
  message(FATAL_ERROR \"no web app in ${NESTBOX_WEB_DIST}: run scripts/build-web first\")
endif()")
install(DIRECTORY ${NESTBOX_WEB_DIST}/ DESTINATION share/nestbox/web)
install(FILES ${CMAKE_SOURCE_DIR}/README.md DESTINATION share/doc/nestbox)
install(FILES ${CMAKE_SOURCE_DIR}/LICENSE DESTINATION share/doc/nestbox RENAME copyright)

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME nestbox)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT "Nestbox developers <dev@nestbox.invalid>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "Learning journal appliance for nurseries, all media kept on the box")
set(CPACK_PACKAGE_DESCRIPTION "Nestbox keeps a nursery's learning journal (observations, photos and videos) on a box in the setting: staff record on registered tablets, parents see only their own child's journal, managers hold the keys. Announced on the LAN by mDNS, served through nginx over TLS.")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION misc)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_STRIP_FILES ON)
# Library dependencies from the binaries (dpkg-shlibdeps), and the programs it runs with.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS
  "systemd (>= 247), dbus, nginx-light | nginx, avahi-daemon, openssl, acl, tzdata, restic, fonts-dejavu-core, lego, wireguard-tools, wireguard-go, curl")
# (lego, WireGuard and curl: remote access, issue 31 — nestboxctl remote, acme, relay-test.)
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "libnss-mdns, avahi-utils")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
  "${CMAKE_SOURCE_DIR}/image/deb/conffiles;${CMAKE_SOURCE_DIR}/image/deb/postinst;${CMAKE_SOURCE_DIR}/image/deb/prerm;${CMAKE_SOURCE_DIR}/image/deb/postrm")
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
include(CPack)
