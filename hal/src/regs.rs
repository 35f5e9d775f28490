// SPDX-License-Identifier: GPL-2.0 OR MIT

//! Register map of the OpenCores I2C master as integrated by SiFive.
//!
//! Register index `N` lives at byte offset `N << reg_shift` (see [`crate::Mmio`]). Index 3
//! and 4 are different registers for reads and writes: TXR/RXR and CR/SR. They are separate
//! types here, so the compiler refuses a read of CR or a write of SR.
//!
//! Hardware reference: OpenCores `i2c_master_top.v`, the FU540-C000 manual, chapter "I2C".
//!
//! # Examples
//!
//! ```
//! use sifive_i2c_hal::regs::{Cr, Sr};
//!
//! // Linux's "start and send the address" command value.
//! assert_eq!((Cr::STA | Cr::WR | Cr::IACK).bits(), 0x91);
//! // Reserved status bits are dropped on read.
//! assert_eq!(Sr::from_reg(0xff), Sr::all());
//! assert_eq!(Sr::from_reg(0x1c), Sr::empty());
//! ```

use bitflags::bitflags;

/// A register that can be read, by its index.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[repr(u8)]
pub enum ReadReg {
    /// Clock prescaler, low byte.
    PrerLo = 0,
    /// Clock prescaler, high byte.
    PrerHi = 1,
    /// Control register.
    Ctr = 2,
    /// Receive register: the last byte read from the bus.
    Rxr = 3,
    /// Status register.
    Sr = 4,
}

/// A register that can be written, by its index.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[repr(u8)]
pub enum WriteReg {
    /// Clock prescaler, low byte. Change it only while `CTR.EN` is clear.
    PrerLo = 0,
    /// Clock prescaler, high byte. Change it only while `CTR.EN` is clear.
    PrerHi = 1,
    /// Control register.
    Ctr = 2,
    /// Transmit register: the next byte to send; for an address byte bit 0 is R/W.
    Txr = 3,
    /// Command register.
    Cr = 4,
}

impl ReadReg {
    /// The register index (before the reg-shift is applied).
    pub const fn index(self) -> usize {
        self as usize
    }
}

impl WriteReg {
    /// The register index (before the reg-shift is applied).
    pub const fn index(self) -> usize {
        self as usize
    }
}

bitflags! {
    /// CTR, the control register (read/write).
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
    pub struct Ctr: u8 {
        /// Core enable. Commands are ignored while it is clear.
        const EN = 1 << 7;
        /// Interrupt enable: the interrupt line is `SR.IF && CTR.IEN`.
        const IEN = 1 << 6;
    }
}

bitflags! {
    /// CR, the command register (write-only, index 4).
    ///
    /// STA, STO, RD and WR clear by themselves when the command completes or arbitration is
    /// lost. IACK may ride on any command.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
    pub struct Cr: u8 {
        /// Generate a (repeated) START condition.
        const STA = 1 << 7;
        /// Generate a STOP condition.
        const STO = 1 << 6;
        /// Read a byte from the target.
        const RD = 1 << 5;
        /// Write the byte in TXR to the target.
        const WR = 1 << 4;
        /// As a receiver: 0 sends ACK, 1 sends NACK after the byte.
        const ACK = 1 << 3;
        /// Clear a pending interrupt (SR.IF).
        const IACK = 1 << 0;
    }
}

bitflags! {
    /// SR, the status register (read-only, index 4).
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
    pub struct Sr: u8 {
        /// No acknowledge was received from the target for the last byte sent.
        const RXACK = 1 << 7;
        /// The bus is busy: set by a START, cleared by a STOP.
        const BUSY = 1 << 6;
        /// Arbitration was lost; sticky until the next START command.
        const AL = 1 << 5;
        /// A transfer (read or write) is in progress.
        const TIP = 1 << 1;
        /// Interrupt flag: a command completed or arbitration was lost; held until IACK.
        const IF = 1 << 0;
    }
}

impl Ctr {
    /// Decodes a raw CTR value, masking the reserved bits.
    pub const fn from_reg(value: u8) -> Self {
        Self::from_bits_truncate(value)
    }
}

impl Cr {
    /// Decodes a raw CR value, masking the reserved bits.
    pub const fn from_reg(value: u8) -> Self {
        Self::from_bits_truncate(value)
    }
}

impl Sr {
    /// Decodes a raw SR value, masking the reserved bits (a later RTL revision uses SR\[4:2\]).
    pub const fn from_reg(value: u8) -> Self {
        Self::from_bits_truncate(value)
    }
}

#[cfg(feature = "defmt")]
impl defmt::Format for Ctr {
    fn format(&self, f: defmt::Formatter<'_>) {
        defmt::write!(f, "Ctr({=u8:#x})", self.bits());
    }
}

#[cfg(feature = "defmt")]
impl defmt::Format for Cr {
    fn format(&self, f: defmt::Formatter<'_>) {
        defmt::write!(f, "Cr({=u8:#x})", self.bits());
    }
}

#[cfg(feature = "defmt")]
impl defmt::Format for Sr {
    fn format(&self, f: defmt::Formatter<'_>) {
        defmt::write!(f, "Sr({=u8:#x})", self.bits());
    }
}
