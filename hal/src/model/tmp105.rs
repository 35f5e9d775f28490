// SPDX-License-Identifier: GPL-2.0 OR MIT

//! A TMP105-style temperature sensor target.

use std::any::Any;

use super::Target;

/// A TMP105-style temperature sensor.
///
/// The first byte written after the address selects a register (0 temperature, read-only,
/// 16-bit; 1 configuration, 8-bit; 2 T_LOW and 3 T_HIGH, 16-bit); further bytes write it.
/// Reads return the selected register, most significant byte first.
#[derive(Clone, Debug)]
pub struct Tmp105 {
    regs: [u16; 4],
    pointer: u8,
    expect_pointer: bool,
    index: usize,
}

impl Tmp105 {
    /// A sensor reading `celsius_256` / 256 degrees Celsius (12-bit resolution).
    pub fn new(celsius_256: i16) -> Self {
        let mut sensor = Self {
            regs: [0, 0, 0x4b00, 0x5000],
            pointer: 0,
            expect_pointer: false,
            index: 0,
        };
        sensor.set_temperature(celsius_256);
        sensor
    }

    /// Sets the temperature, in 1/256 degree Celsius, rounded down to 1/16 degree.
    pub fn set_temperature(&mut self, celsius_256: i16) {
        self.regs[0] = (celsius_256 as u16) & 0xfff0;
    }

    /// The raw value of register `index` (0..=3).
    pub fn register(&self, index: usize) -> u16 {
        self.regs[index & 3]
    }

    fn width(&self) -> usize {
        if self.pointer == 1 {
            1
        } else {
            2
        }
    }
}

impl Target for Tmp105 {
    fn start(&mut self, read: bool) -> bool {
        self.expect_pointer = !read;
        self.index = 0;
        true
    }

    fn write(&mut self, byte: u8) -> bool {
        if self.expect_pointer {
            self.pointer = byte & 3;
            self.expect_pointer = false;
            self.index = 0;
            return true;
        }
        let reg = usize::from(self.pointer);
        if reg == 0 {
            return true;
        }
        if self.width() == 1 {
            self.regs[reg] = u16::from(byte);
        } else if self.index == 0 {
            self.regs[reg] = (self.regs[reg] & 0x00ff) | (u16::from(byte) << 8);
        } else if self.index == 1 {
            self.regs[reg] = (self.regs[reg] & 0xff00) | u16::from(byte & 0xf0);
        }
        self.index += 1;
        true
    }

    fn read(&mut self) -> u8 {
        let value = self.regs[usize::from(self.pointer)];
        let byte = if self.width() == 1 {
            value.to_be_bytes()[1]
        } else {
            value.to_be_bytes()[self.index % 2]
        };
        self.index += 1;
        byte
    }

    fn as_any(&self) -> &dyn Any {
        self
    }

    fn as_any_mut(&mut self) -> &mut dyn Any {
        self
    }
}
