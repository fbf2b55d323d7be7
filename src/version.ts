/** The tool's version, as printed in reports (a test keeps it equal to package.json's). */
export const VERSION = '0.1.0'
export const TOOL_NAME = 'prompt-descent'
