// SPDX-License-Identifier: GPL-2.0 OR MIT

//! The transfer error type, with its embedded-hal kind and Linux errno.
//!
//! # Examples
//!
//! ```
//! use embedded_hal::i2c::{Error as _, ErrorKind, NoAcknowledgeSource};
//! use sifive_i2c::Error;
//!
//! assert_eq!(Error::AddressNack.errno(), 6); // ENXIO
//! assert_eq!(
//!     Error::AddressNack.kind(),
//!     ErrorKind::NoAcknowledge(NoAcknowledgeSource::Address)
//! );
//! ```

use core::fmt;

use embedded_hal::i2c::{ErrorKind, NoAcknowledgeSource};

/// Linux errno values used by [`Error::errno`] (include/uapi/asm-generic/errno-base.h).
mod errno {
    pub(super) const EIO: i32 = 5;
    pub(super) const ENXIO: i32 = 6;
    pub(super) const EAGAIN: i32 = 11;
    pub(super) const EBUSY: i32 = 16;
    pub(super) const EPROTO: i32 = 71;
    pub(super) const EINVAL: i32 = 22;
    pub(super) const EOPNOTSUPP: i32 = 95;
    pub(super) const ETIMEDOUT: i32 = 110;
}

/// Why a transfer failed.
///
/// After every error the driver has issued STOP (when the transfer had started) and the
/// controller is ready for the next transfer, except after [`Error::BusBusy`], which means
/// the bus is still held.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[non_exhaustive]
pub enum Error {
    /// No target acknowledged the address (also the second byte of a 10-bit address).
    AddressNack,
    /// The target did not acknowledge a data byte: byte `index` of operation `op`.
    DataNack {
        /// Index of the operation in the transaction.
        op: usize,
        /// Index of the byte in that operation.
        index: usize,
    },
    /// Another master won arbitration (SR.AL).
    ArbitrationLoss,
    /// The controller did not finish a command within the wait budget (or its STOP did not
    /// free the bus, which the driver then recovered).
    Timeout,
    /// The bus stayed held (a target holding SDA low, or another master) through the wait
    /// and bus recovery ([`crate::I2c::recover_bus`]).
    BusBusy,
    /// The address is outside the range of its mode, or a reserved 7-bit address
    /// (0x78..=0x7F); nothing was written.
    InvalidAddress,
    /// The transaction has no operations, or its segments do not form a valid transaction
    /// (the first segment or a change of direction without START, a read into a buffer that
    /// cannot store, a block read without room for 32 bytes); nothing was written.
    InvalidOperation,
    /// A block read's count byte was 0 or above 32 (`BLOCK_MAX`): the driver read one more
    /// byte with NACK and sent STOP.
    BlockLength {
        /// The count byte received.
        len: u8,
    },
    /// The operation is not supported by this controller instance (for example interrupts
    /// on an FU540-C000, or a reversed R/W bit with a 10-bit address); nothing was written.
    Unsupported,
}

impl Error {
    /// The Linux errno for this error, as a positive number (kernel code returns it
    /// negated), following the kernel's Documentation/i2c/fault-codes.rst.
    pub const fn errno(self) -> i32 {
        match self {
            Self::AddressNack => errno::ENXIO,
            Self::DataNack { .. } => errno::EIO,
            Self::ArbitrationLoss => errno::EAGAIN,
            Self::Timeout => errno::ETIMEDOUT,
            Self::BusBusy => errno::EBUSY,
            Self::BlockLength { .. } => errno::EPROTO,
            Self::InvalidAddress | Self::InvalidOperation => errno::EINVAL,
            Self::Unsupported => errno::EOPNOTSUPP,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::AddressNack => f.write_str("address not acknowledged"),
            Self::DataNack { op, index } => {
                write!(f, "data byte {index} of operation {op} not acknowledged")
            }
            Self::ArbitrationLoss => f.write_str("arbitration lost"),
            Self::Timeout => f.write_str("controller timed out"),
            Self::BusBusy => f.write_str("bus busy"),
            Self::InvalidAddress => f.write_str("invalid address"),
            Self::InvalidOperation => f.write_str("invalid operation"),
            Self::BlockLength { len } => write!(f, "block read count {len} out of range"),
            Self::Unsupported => f.write_str("not supported by this controller"),
        }
    }
}

impl core::error::Error for Error {}

impl embedded_hal::i2c::Error for Error {
    fn kind(&self) -> ErrorKind {
        match self {
            Self::AddressNack => ErrorKind::NoAcknowledge(NoAcknowledgeSource::Address),
            Self::DataNack { .. } => ErrorKind::NoAcknowledge(NoAcknowledgeSource::Data),
            Self::ArbitrationLoss => ErrorKind::ArbitrationLoss,
            Self::Timeout
            | Self::BusBusy
            | Self::InvalidAddress
            | Self::InvalidOperation
            | Self::BlockLength { .. }
            | Self::Unsupported => ErrorKind::Other,
        }
    }
}
