/* fine é
 * é ok */
