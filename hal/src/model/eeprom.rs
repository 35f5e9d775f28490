// SPDX-License-Identifier: GPL-2.0 OR MIT

//! A 24C02-style EEPROM target.

use std::any::Any;

use super::Target;

/// A 24C02-style EEPROM: 256 bytes, a word address, 8-byte pages.
///
/// The first byte written after the address sets the word address; further bytes are stored
/// with the address wrapping within its 8-byte page, as the real part does. Reads are
/// sequential from the word address and wrap at the end of the array.
#[derive(Clone, Debug)]
pub struct Eeprom24c02 {
    mem: [u8; 256],
    pointer: u8,
    expect_word_address: bool,
}

impl Eeprom24c02 {
    /// Page size in bytes.
    pub const PAGE: usize = 8;

    /// An erased EEPROM (all bytes 0xFF).
    pub fn new() -> Self {
        Self {
            mem: [0xff; 256],
            pointer: 0,
            expect_word_address: false,
        }
    }

    /// The memory array.
    pub fn memory(&self) -> &[u8; 256] {
        &self.mem
    }

    /// The memory array, mutably (to preload contents).
    pub fn memory_mut(&mut self) -> &mut [u8; 256] {
        &mut self.mem
    }
}

impl Default for Eeprom24c02 {
    fn default() -> Self {
        Self::new()
    }
}

impl Target for Eeprom24c02 {
    fn start(&mut self, read: bool) -> bool {
        self.expect_word_address = !read;
        true
    }

    fn write(&mut self, byte: u8) -> bool {
        if self.expect_word_address {
            self.pointer = byte;
            self.expect_word_address = false;
        } else {
            self.mem[usize::from(self.pointer)] = byte;
            let page = self.pointer & !(Self::PAGE as u8 - 1);
            let next = (self.pointer.wrapping_add(1)) & (Self::PAGE as u8 - 1);
            self.pointer = page | next;
        }
        true
    }

    fn read(&mut self) -> u8 {
        let byte = self.mem[usize::from(self.pointer)];
        self.pointer = self.pointer.wrapping_add(1);
        byte
    }

    fn as_any(&self) -> &dyn Any {
        self
    }

    fn as_any_mut(&mut self) -> &mut dyn Any {
        self
    }
}
