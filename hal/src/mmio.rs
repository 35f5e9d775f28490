// SPDX-License-Identifier: GPL-2.0 OR MIT

//! Memory-mapped access to the controller's registers.
//!
//! The same core is integrated with different register strides and access widths: the
//! FU540, FU740 and FE310 use 8-bit registers on a 4-byte stride (`reg-shift = 2`,
//! `reg-io-width = 1` in the device tree); other integrations use 16- or 32-bit accesses,
//! sometimes big-endian. [`MmioConfig`] carries those parameters, so the driver never
//! computes an address itself.
//!
//! # Examples
//!
//! ```
//! use sifive_i2c_hal::{MmioConfig, RegShift, IoWidth, Endian};
//!
//! let fu540 = MmioConfig::SIFIVE;
//! assert_eq!(fu540.offset(4), 0x10);
//! let other = MmioConfig {
//!     reg_shift: RegShift::Shift0,
//!     io_width: IoWidth::U8,
//!     endian: Endian::Little,
//! };
//! assert_eq!(other.offset(4), 4);
//! ```

use core::ptr::NonNull;

use volatile::VolatilePtr;

use crate::regs::{ReadReg, WriteReg};
use crate::Regs;

/// Distance between registers: index `N` is at byte offset `N << shift`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum RegShift {
    /// Registers are adjacent bytes.
    Shift0 = 0,
    /// Registers are 2 bytes apart.
    Shift1 = 1,
    /// Registers are 4 bytes apart (SiFive SoCs).
    Shift2 = 2,
}

/// Width of each register access.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum IoWidth {
    /// 8-bit accesses (SiFive SoCs).
    U8,
    /// 16-bit accesses; the register value is in the low byte.
    U16,
    /// 32-bit accesses; the register value is in the low byte.
    U32,
}

/// Byte order of 16- and 32-bit accesses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum Endian {
    /// Little-endian (SiFive SoCs, most integrations).
    Little,
    /// Big-endian.
    Big,
}

/// How the registers of one controller instance are laid out in memory.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct MmioConfig {
    /// Register stride.
    pub reg_shift: RegShift,
    /// Access width.
    pub io_width: IoWidth,
    /// Byte order of wide accesses.
    pub endian: Endian,
}

impl MmioConfig {
    /// The layout on the SiFive SoCs (FU540-C000, FU740-C000, FE310-G002): 8-bit
    /// registers 4 bytes apart, `reg-shift = 2` and `reg-io-width = 1`.
    pub const SIFIVE: Self = Self {
        reg_shift: RegShift::Shift2,
        io_width: IoWidth::U8,
        endian: Endian::Little,
    };

    /// The old name of [`MmioConfig::SIFIVE`]: the layout is not the FU540's alone.
    #[deprecated(since = "0.1.0", note = "renamed to `MmioConfig::SIFIVE`")]
    pub const FU540: Self = Self::SIFIVE;

    /// Byte offset of register `index` from the base address.
    pub const fn offset(&self, index: usize) -> usize {
        index << (self.reg_shift as usize)
    }

    /// Bytes of address space the five registers occupy.
    pub const fn span(&self) -> usize {
        let width = match self.io_width {
            IoWidth::U8 => 1,
            IoWidth::U16 => 2,
            IoWidth::U32 => 4,
        };
        self.offset(4) + width
    }
}

/// The controller's registers, accessed with volatile loads and stores.
///
/// # Invariants
///
/// `base` points to `config.span()` bytes of device memory holding the controller's
/// registers, valid for volatile reads and writes for the lifetime of the value, and suitably
/// aligned for `config.io_width` at every register offset.
#[derive(Debug)]
pub struct Mmio {
    base: NonNull<u8>,
    config: MmioConfig,
}

// SAFETY: `Mmio` only holds the address of device registers; moving it to another thread or
// hart does not invalidate that address. Exclusive use is enforced by `&mut self` on access.
unsafe impl Send for Mmio {}

impl Mmio {
    /// Creates an accessor for the registers at `base`.
    ///
    /// # Safety
    ///
    /// - `base` must be the address of an OpenCores I2C register block laid out as `config`
    ///   says, mapped as device memory, valid for volatile reads and writes of the width in
    ///   `config` at each register offset, for as long as the returned value lives.
    /// - No other code may access those registers while the returned value is used, except
    ///   an interrupt handler that touches only CTR and SR under the driver's protocol (see
    ///   the driver's interrupt documentation).
    pub const unsafe fn new(base: NonNull<u8>, config: MmioConfig) -> Self {
        // INVARIANT: The caller guarantees the register block at `base` matches `config`.
        Self { base, config }
    }

    /// The layout this accessor uses.
    pub const fn config(&self) -> MmioConfig {
        self.config
    }

    fn load(&self, index: usize) -> u8 {
        let offset = self.config.offset(index);
        // SAFETY: By the type invariant, `base + offset` lies inside the register block.
        let addr = unsafe { self.base.add(offset) };
        match self.config.io_width {
            IoWidth::U8 => {
                // SAFETY: By the type invariant, the address is valid for volatile byte reads.
                let ptr = unsafe { VolatilePtr::new_read_only(addr) };
                ptr.read()
            }
            IoWidth::U16 => {
                // SAFETY: By the type invariant, the address is valid and aligned for volatile
                // 16-bit reads.
                let ptr = unsafe { VolatilePtr::new_read_only(addr.cast::<u16>()) };
                let raw = ptr.read();
                let value = match self.config.endian {
                    Endian::Little => u16::from_le(raw),
                    Endian::Big => u16::from_be(raw),
                };
                value.to_le_bytes()[0]
            }
            IoWidth::U32 => {
                // SAFETY: By the type invariant, the address is valid and aligned for volatile
                // 32-bit reads.
                let ptr = unsafe { VolatilePtr::new_read_only(addr.cast::<u32>()) };
                let raw = ptr.read();
                let value = match self.config.endian {
                    Endian::Little => u32::from_le(raw),
                    Endian::Big => u32::from_be(raw),
                };
                value.to_le_bytes()[0]
            }
        }
    }

    fn store(&mut self, index: usize, value: u8) {
        let offset = self.config.offset(index);
        // SAFETY: By the type invariant, `base + offset` lies inside the register block.
        let addr = unsafe { self.base.add(offset) };
        match self.config.io_width {
            IoWidth::U8 => {
                // SAFETY: By the type invariant, the address is valid for volatile byte writes.
                let ptr = unsafe { VolatilePtr::new(addr) };
                ptr.write(value);
            }
            IoWidth::U16 => {
                let value = u16::from(value);
                let raw = match self.config.endian {
                    Endian::Little => value.to_le(),
                    Endian::Big => value.to_be(),
                };
                // SAFETY: By the type invariant, the address is valid and aligned for volatile
                // 16-bit writes.
                let ptr = unsafe { VolatilePtr::new(addr.cast::<u16>()) };
                ptr.write(raw);
            }
            IoWidth::U32 => {
                let value = u32::from(value);
                let raw = match self.config.endian {
                    Endian::Little => value.to_le(),
                    Endian::Big => value.to_be(),
                };
                // SAFETY: By the type invariant, the address is valid and aligned for volatile
                // 32-bit writes.
                let ptr = unsafe { VolatilePtr::new(addr.cast::<u32>()) };
                ptr.write(raw);
            }
        }
    }
}

impl Regs for Mmio {
    fn read(&mut self, reg: ReadReg) -> u8 {
        self.load(reg.index())
    }

    fn write(&mut self, reg: WriteReg, value: u8) {
        self.store(reg.index(), value);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Runs `f` on an `Mmio` over a plain buffer standing in for device memory.
    fn with_mem(config: MmioConfig, f: impl FnOnce(&mut Mmio, *mut u32)) {
        let mut mem = [0u32; 8];
        let base = NonNull::new(mem.as_mut_ptr().cast::<u8>()).expect("stack address");
        // SAFETY: `mem` is 32 bytes, 4-byte aligned, outlives `mmio` and is only accessed
        // through `mmio` until `f` returns.
        let mut mmio = unsafe { Mmio::new(base, config) };
        f(&mut mmio, mem.as_mut_ptr());
    }

    #[test]
    fn fu540_layout_puts_cr_at_0x10() {
        with_mem(MmioConfig::SIFIVE, |mmio, mem| {
            mmio.write(WriteReg::Cr, 0x91);
            mmio.write(WriteReg::Txr, 0xa0);
            // SAFETY: `mem` points to the 8-word buffer of `with_mem`.
            let words = unsafe { core::slice::from_raw_parts(mem, 8) };
            assert_eq!(words[4].to_le_bytes()[0], 0x91);
            assert_eq!(words[3].to_le_bytes()[0], 0xa0);
            assert_eq!(mmio.read(ReadReg::Sr), 0x91);
        });
    }

    #[test]
    fn big_endian_wide_access_keeps_the_value_in_the_low_byte() {
        let config = MmioConfig {
            reg_shift: RegShift::Shift2,
            io_width: IoWidth::U32,
            endian: Endian::Big,
        };
        with_mem(config, |mmio, mem| {
            mmio.write(WriteReg::Ctr, 0x80);
            // SAFETY: `mem` points to the 8-word buffer of `with_mem`.
            let words = unsafe { core::slice::from_raw_parts(mem, 8) };
            assert_eq!(words[2], 0x80u32.to_be());
            assert_eq!(mmio.read(ReadReg::Ctr), 0x80);
        });
    }

    #[test]
    fn shift1_u16_little_endian() {
        let config = MmioConfig {
            reg_shift: RegShift::Shift1,
            io_width: IoWidth::U16,
            endian: Endian::Little,
        };
        assert_eq!(config.span(), 10);
        with_mem(config, |mmio, mem| {
            mmio.write(WriteReg::PrerHi, 0x12);
            // SAFETY: `mem` points to the 8-word buffer of `with_mem`.
            let bytes = unsafe { core::slice::from_raw_parts(mem.cast::<u8>(), 32) };
            assert_eq!(&bytes[2..4], &[0x12, 0x00]);
            assert_eq!(mmio.read(ReadReg::PrerHi), 0x12);
        });
    }
}
