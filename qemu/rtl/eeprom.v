// SPDX-License-Identifier: GPL-2.0 OR MIT
//
// An I2C target for the co-simulation of the OpenCores core (tb.v): a
// 256-byte memory that behaves as QEMU's at24c-eeprom model and the
// differential harness's target in the host model (scripts/rtl-diff), so the
// three run the same programs against the same target.
//
// It ACKs its address and every byte written. The first byte written after a
// START addressing it for a write sets the pointer; later bytes are stored at
// the pointer, which then advances (wrapping at 256). A read sends the byte at
// the pointer, which advances, and goes on while the master ACKs. It changes
// SDA only while SCL is low (just after the falling edge), samples it at the
// rising edge, and forgets a transfer at every START and STOP. Its memory
// starts as zeros and survives a reset, as QEMU's does.
`timescale 1ns / 10ps

module sim_eeprom #(
	parameter [6:0] ADDR = 7'h50
) (
	input rst,
	input scl,
	inout sda
);
	localparam IDLE = 0, RECV_ADDR = 1, RECV = 2, SEND = 3;

	reg [7:0] mem[0:255];
	reg [7:0] ptr;
	reg have_ptr;
	reg drive;		// 1: SDA pulled low
	reg [1:0] state;
	reg [3:0] cnt;		// bits of the current byte clocked (9: ACK slot done)
	reg [7:0] sh;
	reg [7:0] out;
	reg ack;		// this target ACKs the byte received
	reg matched;
	reg rnw;
	reg master_ack;
	integer i;

	assign sda = drive ? 1'b0 : 1'bz;

	task clear;
		begin
			state = IDLE;
			drive = 1'b0;
			cnt = 0;
		end
	endtask

	initial begin
		for (i = 0; i < 256; i = i + 1)
			mem[i] = 8'h00;
		ptr = 0;
		have_ptr = 0;
		clear;
	end

	// A reset clears the pointer, not the memory (as QEMU's reset does).
	always @(posedge rst) begin
		ptr = 0;
		have_ptr = 0;
		clear;
	end

	// START: every target waits for an address.
	always @(negedge sda)
		if (scl === 1'b1 && !rst) begin
			state = RECV_ADDR;
			drive = 1'b0;
			cnt = 0;
		end

	// STOP: the transfer ends.
	always @(posedge sda)
		if (scl === 1'b1 && !rst) begin
			clear;
			have_ptr = 0;
		end

	always @(posedge scl)
		if (!rst)
			case (state)
			RECV_ADDR, RECV:
				if (cnt < 8) begin
					sh = {sh[6:0], sda !== 1'b0};
					cnt = cnt + 1;
					if (cnt == 8) begin
						if (state == RECV_ADDR) begin
							matched = sh[7:1] == ADDR;
							rnw = sh[0];
							ack = matched;
							if (matched && !rnw)
								have_ptr = 0;
						end else begin
							ack = 1'b1;
							if (!have_ptr) begin
								ptr = sh;
								have_ptr = 1;
							end else begin
								mem[ptr] = sh;
								ptr = ptr + 1;
							end
						end
					end
				end else if (cnt == 8) begin
					cnt = 9;
				end
			SEND:
				if (cnt < 8) begin
					cnt = cnt + 1;
				end else if (cnt == 8) begin
					master_ack = sda === 1'b0;
					cnt = 9;
				end
			default: ;
			endcase

	always @(negedge scl)
		if (!rst)
			#1 case (state)
			RECV_ADDR, RECV:
				if (cnt == 8) begin
					drive = ack;
				end else if (cnt == 9) begin
					drive = 1'b0;
					cnt = 0;
					if (state == RECV_ADDR && !matched) begin
						clear;
					end else if (state == RECV_ADDR && rnw) begin
						state = SEND;
						out = mem[ptr];
						ptr = ptr + 1;
						drive = !out[7];
					end else begin
						state = RECV;
					end
				end
			SEND:
				if (cnt < 8) begin
					drive = !out[7 - cnt];
				end else if (cnt == 8) begin
					drive = 1'b0;
				end else begin
					cnt = 0;
					if (master_ack) begin
						out = mem[ptr];
						ptr = ptr + 1;
						drive = !out[7];
					end else begin
						clear;
					end
				end
			default: ;
			endcase
endmodule
