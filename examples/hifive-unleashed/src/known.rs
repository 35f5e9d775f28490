// SPDX-License-Identifier: GPL-2.0 OR MIT

//! The devices the examples know on I2C0: the board itself has none (its device tree lists
//! no child of i2c@10030000), so these are QEMU's sifive_u as this project extends it,
//! and what a user wires to the header.

/// Address and name of each known device.
pub(crate) const KNOWN: &[(u8, &str)] = &[
    (0x48, "TMP105 temperature sensor (QEMU sifive_u)"),
    (0x50, "24C02 EEPROM (QEMU sifive_u)"),
    (0x68, "DS1338 real-time clock (QEMU sifive_u)"),
];

/// The name of the device at `address`.
pub(crate) fn name(address: u8) -> &'static str {
    KNOWN
        .iter()
        .find(|(a, _)| *a == address)
        .map_or("unknown device", |(_, name)| name)
}
