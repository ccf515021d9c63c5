/**
 * The one function that turns IPAddressPools and L2Advertisements into a validated {@link
 * dev.ferrite.api.config.Config}, used alike by the controller, the speaker and the webhook.
 * Pure: values in, values (or problems naming object, field and value) out.
 */
package dev.ferrite.api.config;
